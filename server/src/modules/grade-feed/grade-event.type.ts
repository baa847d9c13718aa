import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Exam } from '../exams/exam.entity';
import { GradeChangeKind } from '../grades/grade-change.entity';
import { User } from '../users/user.entity';

@ObjectType({
  description:
    'issue 13: one event of the grade feed: a grade published, or a published grade changed by an appeal or a correction.',
})
export class GradeEvent {
  @Field({ description: 'the opaque position of this event; pass it as `after` to read the events that follow it' })
  cursor!: string;

  @Field(() => GradeChangeKind, { description: 'what happened to the grade' })
  kind!: GradeChangeKind;

  @Field(() => Date, { description: 'when it happened (server clock)' })
  at!: Date;

  @Field(() => ID, { description: 'the sitting (a student at an exam) whose grade it is' })
  sittingId!: string;

  @Field(() => Exam, { description: 'the exam' })
  exam!: Exam;

  @Field(() => User, { description: 'the student' })
  student!: User;

  @Field(() => Int, { description: 'the score (0..100) from this event on' })
  score!: number;

  @Field({ description: 'the letter of the score, as the journal shows it' })
  letter!: string;

  @Field(() => Float, { description: 'the GPA points of the score, as the journal shows them' })
  gpa!: number;

  @Field(() => Int, { nullable: true, description: 'the score before this event; null for PUBLISHED' })
  previousScore?: number | null;

  @Field(() => String, {
    nullable: true,
    description: "why the grade changed (CORRECTED: staff's reason; APPEAL_DECIDED: the decision's reason)",
  })
  reason?: string | null;

  @Field(() => ID, { nullable: true, description: 'the appeal whose decision this is (APPEAL_DECIDED only)' })
  appealId?: string | null;
}

@ObjectType({ description: 'issue 13: a page of the grade feed, oldest event first.' })
export class GradeChangePage {
  @Field(() => [GradeEvent], { description: 'the events after the given cursor, in commit order' })
  events!: GradeEvent[];

  @Field({
    description:
      "where to go on from: the last event's cursor, or the given cursor when there was none; keep it and pass it as `after` next time",
  })
  endCursor!: string;

  @Field({ description: 'whether more events follow at once (ask again without waiting)' })
  hasMore!: boolean;
}
