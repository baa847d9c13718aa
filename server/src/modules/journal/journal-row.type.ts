import { Field, ObjectType } from 'type-graphql';
import type { Sitting } from '../sittings/sitting.entity';
import { Discipline, Period } from '../calendar/calendar.entity';
import { AnswerSendMode } from '../answers/answer.entity';
import { Exam } from '../exams/exam.entity';
import { Grade } from '../grades/grade.type';
import { User } from '../users/user.entity';

@ObjectType()
export class JournalRow {
  @Field(() => User) student!: User;
  @Field(() => Discipline) discipline!: Discipline;
  @Field(() => Period) period!: Period;
  @Field(() => Exam) exam!: Exam;
  @Field(() => Grade, { nullable: true }) grade?: Grade | null;
  @Field(() => AnswerSendMode, {
    nullable: true,
    description: 'how the answer was sent (e.g. AUTOMATIC: by the server at the end); null when nothing was sent',
  })
  sendMode?: AnswerSendMode | null;

  /** the sitting the row shows (not a field): which attempt it is and whether it counts are read from it */
  sitting!: Sitting;
}
