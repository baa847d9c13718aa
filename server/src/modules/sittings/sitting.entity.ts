import { Entity, ManyToOne, OneToOne, Property, Unique, DateTimeType } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../common/base.entity';
import { Exam } from '../exams/exam.entity';
import { Ticket } from '../tickets/ticket.entity';
import { User } from '../users/user.entity';
import type { Answer } from '../answers/answer.entity';

/**
 * One student's record at one exam. The unique ticket column is what makes
 * "one holder per ticket" a database fact rather than a hope.
 */
@ObjectType({
  description:
    "One student's record at one exam: seen by the student, staff and the exam's teacher (never by other students).",
})
@Entity({ tableName: 'sittings' })
@Unique({ properties: ['exam', 'student'] })
export class Sitting extends BaseEntity {
  @ManyToOne(() => Exam, { deleteRule: 'cascade' })
  exam!: Exam;

  @ManyToOne(() => User)
  student!: User;

  @ManyToOne(() => Ticket, { nullable: true, unique: true, deleteRule: 'set null' })
  ticket?: Ticket | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When the student first opened the exam page (UTC); null: not yet.',
  })
  @Property({ type: DateTimeType, nullable: true })
  enteredAt?: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When the student was last seen on the exam page (UTC): entering, or leaving it; null: never entered.',
  })
  @Property({ type: DateTimeType, nullable: true })
  lastSeenAt?: Date | null;

  @Property({ type: DateTimeType, nullable: true })
  ticketChosenAt?: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: "When staff released the ticket's questions to this student (UTC); null: not yet (R5.3).",
  })
  @Property({ type: DateTimeType, nullable: true })
  questionsReleasedAt?: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When the student first viewed the released questions (UTC); null: not yet (R5.3).',
  })
  @Property({ type: DateTimeType, nullable: true })
  questionsViewedAt?: Date | null;

  /** a later end for this sitting alone (extra time after a technical failure) */
  @Property({ type: DateTimeType, nullable: true })
  endsAtOverride?: Date | null;

  @OneToOne('Answer', 'sitting', { nullable: true })
  answer?: Answer | null;

  @Property({ type: 'integer', nullable: true })
  score?: number | null;

  @Property({ type: 'string', length: 3, nullable: true })
  letter?: string | null;

  @Property({ type: 'double', nullable: true })
  gpa?: number | null;

  @Property({ type: 'text', nullable: true })
  gradeComment?: string | null;

  @Property({ type: DateTimeType, nullable: true })
  gradedAt?: Date | null;

  @ManyToOne(() => User, { nullable: true })
  gradedBy?: User | null;

  /**
   * issue 12: when the student's grade became visible to them: at the exam's publication (ON_PUBLICATION) or when it
   * was saved (AT_ONCE). Null: a draft only staff and the exam's teacher see. Ask `isGradePublished`, not this column.
   */
  @Field(() => Date, {
    nullable: true,
    description: "When this sitting's grade was published to the student; null while it is a draft.",
  })
  @Property({ type: DateTimeType, nullable: true })
  gradePublishedAt?: Date | null;
}
