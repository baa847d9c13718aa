import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, DateTimeType, type Opt } from '@mikro-orm/core';
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Sitting } from '../sittings/sitting.entity';
import { User } from '../users/user.entity';

/** issue 12: why a published grade's history has a new entry */
export enum GradeChangeKind {
  PUBLISHED = 'PUBLISHED',
  CORRECTED = 'CORRECTED',
  APPEAL_DECIDED = 'APPEAL_DECIDED',
}
registerEnumType(GradeChangeKind, {
  name: 'GradeChangeKind',
  description: "Why a published grade's history has an entry.",
  valuesConfig: {
    PUBLISHED: { description: 'The grade was published to the student.' },
    CORRECTED: { description: 'Staff corrected the published grade, with a reason.' },
    APPEAL_DECIDED: { description: "An appeal's decision kept or changed the published grade, with a reason." },
  },
});

/**
 * One entry of a sitting's published-grade history: append-only, written only by grade-history.ts. `seq` is an
 * autoincrement key, so entries are numbered in the order they were inserted (a grade feed pages by it).
 */
@ObjectType({
  description:
    "One entry of a published grade's history: its publication, a correction by staff, or an appeal's decision. Entries are never changed or removed.",
})
@Entity({ tableName: 'grade_changes' })
export class GradeChange {
  @Field(() => Int, {
    description:
      'The number of the entry across all grades, increasing in the order entries were written: a later entry has a larger number.',
  })
  @PrimaryKey({ type: 'integer', autoincrement: true })
  seq!: number & Opt;

  // a sitting's history is read by sitting (PostgreSQL indexes no foreign key by itself)
  @Index()
  @ManyToOne(() => Sitting, { deleteRule: 'cascade' })
  sitting!: Sitting;

  @Field(() => GradeChangeKind, { description: 'Why the grade has this entry.' })
  @Enum({ items: () => GradeChangeKind })
  kind!: GradeChangeKind;

  @Field(() => Int, { description: 'The score, a whole number from 0 to 100, from this entry on.' })
  @Property({ type: 'integer' })
  score!: number;

  @Field({ description: 'The letter of the score on the credit-system scale (A, A-, B+, … F).' })
  @Property({ type: 'string', length: 3 })
  letter!: string;

  @Field(() => Float, { description: 'The GPA points of the score (0 to 4).' })
  @Property({ type: 'double' })
  gpa!: number;

  @Field(() => Int, { nullable: true, description: 'The score before this entry; null for PUBLISHED.' })
  @Property({ type: 'integer', nullable: true })
  previousScore?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why the grade changed, as staff or the commission wrote it; null for PUBLISHED.',
  })
  @Property({ type: 'text', nullable: true })
  reason?: string | null;

  /** who made the change; GraphQL reads it through the history's resolver */
  @ManyToOne(() => User, { nullable: true, deleteRule: 'set null' })
  actor?: User | null;

  @Field(() => Date, { description: 'When the grade was published or changed (the server clock, UTC).' })
  @Property({ type: DateTimeType })
  at!: Date;
}
