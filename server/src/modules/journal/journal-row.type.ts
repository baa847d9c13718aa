import { ArgsType, Field, ID, ObjectType } from 'type-graphql';
import { Connection, PageArgs } from '../../common/connection';
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
  @Field(() => AnswerSendMode, {
    nullable: true,
    description: 'How the answer was sent (e.g. AUTOMATIC: by the server at the end); null when nothing was sent.',
  })
  sendMode?: AnswerSendMode | null;

  /** the sitting the row shows (not a field): its grade history (JournalRowResolver), which attempt it is and whether it counts (JournalAttemptResolver) */
  sitting!: Sitting;
}

@ObjectType({ description: "A page of the journal, by student's name, then the exam's start (issue 13)." })
export class JournalRowConnection extends Connection(JournalRow) {}

@ArgsType()
export class JournalConnectionArgs extends PageArgs {
  @Field(() => ID, { description: 'the discipline whose grades are read' })
  disciplineId!: string;

  @Field(() => ID, { description: 'the examination period whose grades are read' })
  periodId!: string;

  @Field(() => ID, { nullable: true, description: "only this exam's rows" })
  examId?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "part of the student's full name or login, any case (Cyrillic and Kazakh too); at most MAX_SEARCH_CHARS",
  })
  search?: string | null;
}
