import { Entity, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../common/base.entity';
import { Exam } from '../exams/exam.entity';

/** A numbered set of questions; the number is unique within its exam. */
@ObjectType({ description: 'A ticket as staff see it.' })
@Entity({ tableName: 'tickets' })
@Unique({ properties: ['exam', 'number'] })
export class Ticket extends BaseEntity {
  @ManyToOne(() => Exam, { deleteRule: 'cascade' })
  exam!: Exam;

  @Field(() => Int)
  @Property({ type: 'integer' })
  number!: number;

  @Field()
  @Property({ type: 'text' })
  questions!: string;
}

@ObjectType({ description: 'A ticket as the choosing student sees it: no number (R4.2).' })
export class TicketTile {
  @Field(() => ID)
  id!: string;

  @Field()
  taken!: boolean;
}
