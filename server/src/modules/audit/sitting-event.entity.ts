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
}
registerEnumType(SittingEventKind, {
  name: 'SittingEventKind',
  description: 'What an entry of the audit trail records.',
  valuesConfig: {
    ENTERED: { description: 'The student opened the exam page.' },
    LEFT: { description: 'The student closed the exam page or lost the connection.' },
    TICKET_CHOSEN: { description: 'The student chose a ticket (detail: its number).' },
    TICKET_ASSIGNED: { description: 'A ticket was given: by staff, or drawn by the server (detail: its number).' },
    QUESTIONS_RELEASED: { description: "Staff released the ticket's questions to the student." },
    QUESTIONS_VIEWED: { description: 'The student first viewed the questions.' },
    ANSWER_SAVED: { description: 'The student saved the draft (detail: its size once sent; "private draft" before).' },
    FILE_UPLOADED: { description: 'A file was added to the draft (detail: its name once sent, if it was sent).' },
    FILE_DELETED: { description: 'The student removed a file from the draft (detail: "private draft").' },
    ANSWER_SUBMITTED: { description: 'The student sent the answer before their end.' },
    ANSWER_SENT_IN_GRACE: { description: "The student's Send arrived after their end, within SEND_GRACE_MS." },
    ANSWER_SENT_AT_END: { description: "The server sent the student's draft at their end (no actor)." },
    GRADED: { description: 'The answer was graded or regraded (detail: score and letter).' },
    EXTRA_TIME_GIVEN: { description: "Staff changed the student's end (extra time given or taken back)." },
    GRADE_PUBLISHED: {
      description: 'The grade became visible to the student (publication, or a save at an AT_ONCE exam).',
    },
    GRADE_CORRECTED: { description: 'Staff changed a published grade, with a reason.' },
    GRADE_CHANGED_ON_APPEAL: { description: "An appeal's decision changed a published grade." },
    APPEAL_FILED: { description: 'The student filed an appeal against the published grade.' },
    APPEAL_COMMISSION_SET: { description: 'Staff formed or changed the appeal commission.' },
    APPEAL_DECIDED: { description: 'The appeal was decided: the score kept or changed, with the reason.' },
  },
});

/** Append-only trail of a sitting, for appeals: rows are inserted, never updated. */
@ObjectType({
  description: "One entry of a sitting's append-only audit trail (for appeals): staff and the exam's teacher only.",
})
@Entity({ tableName: 'sitting_events' })
export class SittingEvent {
  @Field(() => ID, { description: "The entry's identifier (a UUID)." })
  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  @ManyToOne(() => Sitting, { deleteRule: 'cascade' })
  sitting!: Sitting;

  // a plain string column, so a new kind of event needs no table rebuild
  @Field(() => SittingEventKind, { description: 'What happened.' })
  @Property({ type: 'string', length: 40 })
  kind!: SittingEventKind;

  @Field(() => Date, { description: 'When it happened (UTC, by the server clock).' })
  @Property({ type: DateTimeType })
  at: Date & Opt = new Date();

  @ManyToOne(() => User, { nullable: true })
  actor?: User | null;

  @Field(() => String, {
    nullable: true,
    description:
      'A short detail for a person (a ticket number, a file name, a score); never answer text; null when there is none.',
  })
  @Property({ type: 'string', length: 500, nullable: true })
  detail?: string | null;
}
