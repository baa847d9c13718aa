import { Field, ObjectType } from 'type-graphql';
import { Discipline, Period } from '../calendar/calendar.entity';
import { AnswerSendMode } from '../answers/answer.entity';
import { Exam } from '../exams/exam.entity';
import { Grade } from '../grades/grade.type';
import type { Sitting } from '../sittings/sitting.entity';
import { User } from '../users/user.entity';

@ObjectType({ description: "One student's result at one exam, as the journal shows it (R7.7)." })
export class JournalRow {
  @Field(() => User, { description: 'The student.' })
  student!: User;

  @Field(() => Discipline, { description: 'The discipline.' })
  discipline!: Discipline;

  @Field(() => Period, { description: 'The academic period.' })
  period!: Period;

  @Field(() => Exam, { description: 'The exam.' })
  exam!: Exam;

  @Field(() => Grade, { nullable: true, description: 'The published grade; null until it is published (issue 12).' })
  grade?: Grade | null;

  @Field({
    description:
      "Staff and the exam's teacher: true when the sitting has a grade not yet published to the student (a draft in grading); always false in myJournal.",
  })
  gradeDraft!: boolean;

  /** the row's sitting, for its grade history (JournalRowResolver) */
  sitting!: Sitting;

  @Field(() => AnswerSendMode, {
    nullable: true,
    description: 'How the answer was sent (e.g. AUTOMATIC: by the server at the end); null when nothing was sent.',
  })
  sendMode?: AnswerSendMode | null;
}
