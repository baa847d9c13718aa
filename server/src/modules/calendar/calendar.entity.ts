import { Collection, Entity, ManyToOne, OneToMany, Property, Unique } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../common/base.entity';
import { LocalDateScalar } from '../../common/scalars';

@ObjectType()
@Entity({ tableName: 'academic_years' })
export class AcademicYear extends BaseEntity {
  @Field()
  @Property({ type: 'string', length: 20 })
  @Unique()
  title!: string;

  @Field(() => LocalDateScalar)
  @Property({ type: 'string', length: 10 })
  startsOn!: string;

  @Field(() => LocalDateScalar)
  @Property({ type: 'string', length: 10 })
  endsOn!: string;

  @Field(() => String, {
    nullable: true,
    description: "the student information system's own key of this academic year (unique; null when it has none)",
  })
  @Property({ type: 'string', length: 100, nullable: true })
  @Unique()
  externalId?: string | null;

  @OneToMany(() => Period, (period) => period.academicYear, { orderBy: { number: 'asc' } })
  periods = new Collection<Period>(this);
}

@ObjectType()
@Entity({ tableName: 'periods' })
@Unique({ properties: ['academicYear', 'number'] })
export class Period extends BaseEntity {
  @ManyToOne(() => AcademicYear)
  academicYear!: AcademicYear;

  @Field(() => Int)
  @Property({ type: 'integer' })
  number!: number;

  @Field()
  @Property({ type: 'string', length: 100 })
  title!: string;

  @Field(() => LocalDateScalar)
  @Property({ type: 'string', length: 10 })
  startsOn!: string;

  @Field(() => LocalDateScalar)
  @Property({ type: 'string', length: 10 })
  endsOn!: string;

  @Field(() => String, {
    nullable: true,
    description: "the student information system's own key of this period (unique; null when it has none)",
  })
  @Property({ type: 'string', length: 100, nullable: true })
  @Unique()
  externalId?: string | null;
}

@ObjectType()
@Entity({ tableName: 'disciplines' })
export class Discipline extends BaseEntity {
  @Field()
  @Property({ type: 'string', length: 50 })
  @Unique()
  code!: string;

  @Field()
  @Property({ type: 'string', length: 300 })
  title!: string;

  @Field(() => String, {
    nullable: true,
    description: "the student information system's own key of this discipline (unique; null when it has none)",
  })
  @Property({ type: 'string', length: 100, nullable: true })
  @Unique()
  externalId?: string | null;
}
