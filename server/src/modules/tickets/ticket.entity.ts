import { Entity, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../common/base.entity';
import { Exam } from '../exams/exam.entity';

/** A numbered set of questions; the number is unique within its exam. */
@ObjectType({
  description:
    "A ticket of a TICKETS exam as staff and the exam's teacher see it: its number, questions, files and holder.",
})
@Entity({ tableName: 'tickets' })
@Unique({ properties: ['exam', 'number'] })
export class Ticket extends BaseEntity {
  @ManyToOne(() => Exam, { deleteRule: 'cascade' })
  exam!: Exam;

  @Field(() => Int, {
    description: 'Its number, from 1, unique within the exam; students see it once the exam starts.',
  })
  @Property({ type: 'integer' })
  number!: number;

  @Field({ description: 'Its questions (plain text, line breaks kept); a student sees them once released.' })
  @Property({ type: 'text' })
  questions!: string;
}

@ObjectType({ description: 'A ticket as the choosing student sees it: no number, no questions (R4.2).' })
export class TicketTile {
  @Field(() => ID, { description: 'The ticket (Ticket.id): what chooseTicket takes.' })
  id!: string;

  @Field({ description: 'Whether a student already holds it (shown striped); false: free (green).' })
  taken!: boolean;
}
