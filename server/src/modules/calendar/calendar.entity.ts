import { Collection, Entity, ManyToOne, OneToMany, Property, Unique } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../common/base.entity';
import { LocalDateScalar } from '../../common/scalars';

@ObjectType({ description: 'An academic year (e.g. 2026-2027) with its periods; everyone signed in may read it.' })
@Entity({ tableName: 'academic_years' })
export class AcademicYear extends BaseEntity {
  @Field({ description: 'Its name, unique (e.g. "2026-2027").' })
  @Property({ type: 'string', length: 20 })
  @Unique()
  title!: string;

  @Field(() => LocalDateScalar, { description: 'Its first day (a calendar date, no time zone).' })
  @Property({ type: 'string', length: 10 })
  startsOn!: string;

  @Field(() => LocalDateScalar, { description: 'Its last day, included.' })
  @Property({ type: 'string', length: 10 })
  endsOn!: string;

  @OneToMany(() => Period, (period) => period.academicYear, { orderBy: { number: 'asc' } })
  periods = new Collection<Period>(this);
}

@ObjectType({ description: 'An academic period (a term or a session) of an academic year; exams belong to one.' })
@Entity({ tableName: 'periods' })
@Unique({ properties: ['academicYear', 'number'] })
export class Period extends BaseEntity {
  @ManyToOne(() => AcademicYear)
  academicYear!: AcademicYear;

  @Field(() => Int, { description: 'Its number within the year, from 1; unique within the year.' })
  @Property({ type: 'integer' })
  number!: number;

  @Field({ description: 'Its name as shown (e.g. "1st semester").' })
  @Property({ type: 'string', length: 100 })
  title!: string;

  @Field(() => LocalDateScalar, { description: 'Its first day (a calendar date, no time zone).' })
  @Property({ type: 'string', length: 10 })
  startsOn!: string;

  @Field(() => LocalDateScalar, { description: 'Its last day, included.' })
  @Property({ type: 'string', length: 10 })
  endsOn!: string;
}

@ObjectType({ description: 'A subject taught and examined; everyone signed in may read it.' })
@Entity({ tableName: 'disciplines' })
export class Discipline extends BaseEntity {
  @Field({ description: 'Its code in the curriculum, unique.' })
  @Property({ type: 'string', length: 50 })
  @Unique()
  code!: string;

  @Field({ description: 'Its name as shown.' })
  @Property({ type: 'string', length: 300 })
  title!: string;
}
