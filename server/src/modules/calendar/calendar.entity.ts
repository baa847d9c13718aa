import {
  BeforeCreate,
  BeforeUpdate,
  Collection,
  Entity,
  ManyToOne,
  OneToMany,
  Property,
  Unique,
  type Opt,
} from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../common/base.entity';
import { LocalDateScalar } from '../../common/scalars';
import { searchKeyOf } from '../../common/search-text';

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

  /** issue 13: code and title folded for the exam search (common/search-text.ts); never selected over GraphQL */
  @Property({ type: 'string', length: 500, hidden: true })
  searchKey: string & Opt = '';

  @BeforeCreate()
  @BeforeUpdate()
  protected keepSearchKey(): void {
    this.searchKey = searchKeyOf(this.title, this.code);
  }
}
