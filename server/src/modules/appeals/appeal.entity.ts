import { Collection, DateTimeType, Entity, ManyToMany, ManyToOne, OneToOne, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../common/base.entity';
import { Sitting } from '../sittings/sitting.entity';
import { User } from '../users/user.entity';

export enum AppealStatus {
  FILED = 'FILED',
  UNDER_REVIEW = 'UNDER_REVIEW',
  DECIDED = 'DECIDED',
}
registerEnumType(AppealStatus, {
  name: 'AppealStatus',
  description: 'Where an appeal stands: filed by the student, before the commission, or decided.',
  valuesConfig: {
    FILED: { description: 'The student has filed it; staff have not formed the commission yet.' },
    UNDER_REVIEW: { description: 'Staff formed the commission; it is looking at the answer.' },
    DECIDED: { description: 'The commission (or staff) recorded the decision and its reason.' },
  },
});

export enum AppealDecision {
  KEPT = 'KEPT',
  CHANGED = 'CHANGED',
}
registerEnumType(AppealDecision, {
  name: 'AppealDecision',
  description: "The commission's decision on the score.",
  valuesConfig: {
    KEPT: { description: 'The score stays as it was.' },
    CHANGED: { description: 'The score is changed to newScore (through the grade history).' },
  },
});

/**
 * A student's appeal (апелляция) against the published grade of one sitting: at most one per sitting, filed inside
 * the window (calendar/working-days), decided by a commission of teachers that staff form.
 */
@ObjectType({
  description:
    "A student's appeal against the published grade of one sitting (one per sitting). Seen by its student, staff, the exam's teacher and the commission's members. The fields called the case (the answer, the ticket, the trail, the recording) are for staff, the commission and the exam's teacher only: others get null or an empty list.",
})
@Entity({ tableName: 'appeals' })
export class Appeal extends BaseEntity {
  @OneToOne(() => Sitting, { owner: true, unique: true, deleteRule: 'cascade' })
  sitting!: Sitting;

  @Field({ description: "The student's reasons, as they wrote them." })
  @Property({ type: 'text' })
  text!: string;

  // a plain string column, so a new state needs no table rebuild
  @Field(() => AppealStatus, { description: 'FILED → UNDER_REVIEW (commission formed) → DECIDED.' })
  @Property({ type: 'string', length: 20 })
  status: AppealStatus = AppealStatus.FILED;

  @Field(() => Date, { description: 'When the student filed it (the server clock, UTC).' })
  @Property({ type: DateTimeType })
  filedAt!: Date;

  /** the teachers staff appointed to decide it (not necessarily the exam's teacher) */
  @ManyToMany(() => User, undefined, { owner: true, pivotTable: 'appeal_commission_members' })
  commission = new Collection<User>(this);

  @Field(() => Date, { nullable: true, description: 'When staff last formed the commission; null until formed.' })
  @Property({ type: DateTimeType, nullable: true })
  commissionSetAt?: Date | null;

  @Field(() => AppealDecision, { nullable: true, description: 'The decision, KEPT or CHANGED; null until decided.' })
  @Property({ type: 'string', length: 10, nullable: true })
  decision?: AppealDecision | null;

  @Field(() => Int, {
    nullable: true,
    description: 'The score the appeal was against, recorded with the decision; null until decided.',
  })
  @Property({ type: 'integer', nullable: true })
  previousScore?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'The score after the decision (equal to previousScore when KEPT); null until decided.',
  })
  @Property({ type: 'integer', nullable: true })
  newScore?: number | null;

  @Field(() => String, {
    nullable: true,
    description: "The decision's reason, shown to the student; null until decided.",
  })
  @Property({ type: 'text', nullable: true })
  reason?: string | null;

  @Field(() => Date, { nullable: true, description: 'When the decision was recorded; null until decided.' })
  @Property({ type: DateTimeType, nullable: true })
  decidedAt?: Date | null;

  @ManyToOne(() => User, { nullable: true, deleteRule: 'set null' })
  decidedBy?: User | null;
}
