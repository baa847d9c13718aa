import { Entity, Property, Unique } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../common/base.entity';
import { LocalDateScalar } from '../../common/scalars';

/**
 * A day the university does not work besides Saturdays and Sundays: a public holiday, or a day off moved from a
 * holiday that fell on a weekend. Working days are counted over this table (the appeal window).
 */
@ObjectType({ description: 'A non-working day besides the weekend: a public holiday or a day off moved to it.' })
@Entity({ tableName: 'non_working_days' })
export class NonWorkingDay extends BaseEntity {
  @Field(() => LocalDateScalar, { description: "The date on the university's calendar (YYYY-MM-DD)." })
  @Property({ type: 'string', length: 10 })
  @Unique()
  date!: string;

  @Field({ description: 'What the day is, e.g. «Наурыз мейрамы».' })
  @Property({ type: 'string', length: 200 })
  title!: string;
}
