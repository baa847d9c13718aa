import { Entity, ManyToOne, PrimaryKey, Property, DateTimeType, type Opt } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Sitting } from '../sittings/sitting.entity';
import { User } from '../users/user.entity';

export enum SittingEventKind {
  ENTERED = 'ENTERED',
  LEFT = 'LEFT',
  TICKET_CHOSEN = 'TICKET_CHOSEN',
  TICKET_ASSIGNED = 'TICKET_ASSIGNED',
  QUESTIONS_RELEASED = 'QUESTIONS_RELEASED',
  QUESTIONS_VIEWED = 'QUESTIONS_VIEWED',
  ANSWER_SAVED = 'ANSWER_SAVED',
  FILE_UPLOADED = 'FILE_UPLOADED',
  FILE_DELETED = 'FILE_DELETED',
  ANSWER_SUBMITTED = 'ANSWER_SUBMITTED',
  /** the student's Send arrived after their end, within SEND_GRACE_MS */
  ANSWER_SENT_IN_GRACE = 'ANSWER_SENT_IN_GRACE',
  /** the server sent the student's draft at their end (no actor) */
  ANSWER_SENT_AT_END = 'ANSWER_SENT_AT_END',
  GRADED = 'GRADED',
  EXTRA_TIME_GIVEN = 'EXTRA_TIME_GIVEN',
  /** issue 12: the grade became visible to the student (the exam's publication, or a save at an AT_ONCE exam) */
  GRADE_PUBLISHED = 'GRADE_PUBLISHED',
  /** issue 12: staff changed a published grade, with a reason (GradeService.changePublishedGrade) */
  GRADE_CORRECTED = 'GRADE_CORRECTED',
  /** issue 12: an appeal's decision changed a published grade (GradeService.changePublishedGrade) */
  GRADE_CHANGED_ON_APPEAL = 'GRADE_CHANGED_ON_APPEAL',
  /** the student filed an appeal against the published grade */
  APPEAL_FILED = 'APPEAL_FILED',
  /** staff formed (or changed) the appeal commission */
  APPEAL_COMMISSION_SET = 'APPEAL_COMMISSION_SET',
  /** the commission (or staff) decided the appeal: score kept or changed, with the reason */
  APPEAL_DECIDED = 'APPEAL_DECIDED',
  /** issue 12 (E6): staff enrolled the student, for an FX here, in a retake of this exam; detail: the retake's start */
  RETAKE_SCHEDULED = 'RETAKE_SCHEDULED',
}
registerEnumType(SittingEventKind, {
  name: 'SittingEventKind',
  valuesConfig: {
    GRADE_PUBLISHED: {
      description: 'the grade became visible to the student (publication, or a save at an AT_ONCE exam)',
    },
    GRADE_CORRECTED: { description: 'staff changed a published grade, with a reason' },
    GRADE_CHANGED_ON_APPEAL: { description: "an appeal's decision changed a published grade" },
    APPEAL_FILED: { description: 'the student filed an appeal against the published grade' },
    APPEAL_COMMISSION_SET: { description: 'staff formed or changed the appeal commission' },
    APPEAL_DECIDED: { description: 'the appeal was decided: the score kept or changed, with the reason' },
    RETAKE_SCHEDULED: {
      description: "staff enrolled the student (FX here) in a retake of this exam; detail: the retake's start",
    },
  },
});

/** Append-only trail of a sitting, for appeals: rows are inserted, never updated. */
@ObjectType({ description: "One entry of a sitting's audit trail." })
@Entity({ tableName: 'sitting_events' })
export class SittingEvent {
  @Field(() => ID)
  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  @ManyToOne(() => Sitting, { deleteRule: 'cascade' })
  sitting!: Sitting;

  // a plain string column, so a new kind of event needs no table rebuild
  @Field(() => SittingEventKind)
  @Property({ type: 'string', length: 40 })
  kind!: SittingEventKind;

  @Field(() => Date)
  @Property({ type: DateTimeType })
  at: Date & Opt = new Date();

  @ManyToOne(() => User, { nullable: true })
  actor?: User | null;

  @Field(() => String, { nullable: true, description: 'a short human-readable detail, never answer text' })
  @Property({ type: 'string', length: 500, nullable: true })
  detail?: string | null;
}
