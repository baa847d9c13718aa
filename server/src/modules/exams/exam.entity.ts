import { Collection, Entity, Enum, ManyToOne, OneToMany, Property, DateTimeType, type Opt } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../common/base.entity';
import { Discipline, Period } from '../calendar/calendar.entity';
import { User } from '../users/user.entity';
import type { Sitting } from '../sittings/sitting.entity';
import type { Ticket } from '../tickets/ticket.entity';

export enum ExamFormat {
  TICKETS = 'TICKETS',
  TASK = 'TASK',
}
registerEnumType(ExamFormat, { name: 'ExamFormat' });

export enum TicketAssignment {
  STUDENT_CHOICE = 'STUDENT_CHOICE',
  RANDOM = 'RANDOM',
  STAFF = 'STAFF',
}
registerEnumType(TicketAssignment, { name: 'TicketAssignment', description: 'How a student gets a ticket (R4.1).' });

/** issue 12: when students see their grades */
export enum ResultsRelease {
  AT_ONCE = 'AT_ONCE',
  ON_PUBLICATION = 'ON_PUBLICATION',
}
registerEnumType(ResultsRelease, {
  name: 'ResultsRelease',
  description: "When an exam's grades reach its students (issue 12).",
  valuesConfig: {
    AT_ONCE: { description: 'each grade is published the moment it is saved (the behaviour before issue 12)' },
    ON_PUBLICATION: {
      description: "grades are drafts until the teacher or staff publish the exam's results, all together",
    },
  },
});

@ObjectType()
@Entity({ tableName: 'exams' })
export class Exam extends BaseEntity {
  @ManyToOne(() => Period)
  period!: Period;

  @ManyToOne(() => Discipline)
  discipline!: Discipline;

  @ManyToOne(() => User)
  teacher!: User;

  @Field()
  @Property({ type: DateTimeType })
  startsAt!: Date;

  @Field()
  @Property({ type: DateTimeType })
  endsAt!: Date;

  @Field(() => ExamFormat)
  @Enum({ items: () => ExamFormat })
  format!: ExamFormat;

  @Field(() => TicketAssignment, { nullable: true })
  @Enum({ items: () => TicketAssignment, nullable: true })
  ticketAssignment?: TicketAssignment | null;

  @Property({ type: 'text', nullable: true })
  taskText?: string | null;

  @Property({ type: 'string', length: 200, nullable: true })
  platformName?: string | null;

  @Property({ type: 'string', length: 2000, nullable: true })
  platformUrl?: string | null;

  @Property({ type: 'string', length: 200, nullable: true })
  platformLogin?: string | null;

  @Property({ type: 'string', length: 200, nullable: true })
  platformPassword?: string | null;

  @Property({ type: 'string', length: 2000, nullable: true })
  recordingUrl?: string | null;

  @Property({ type: 'boolean' })
  recordingVisible: boolean & Opt = false;

  /** drafts are sent at each student's end; null (exams from before the setting): the server's AUTO_SEND_AT_END */
  @Property({ type: 'boolean', nullable: true })
  autoSendAtEnd?: boolean | null;

  /** new exams: ON_PUBLICATION (ExamService); exams from before issue 12 were migrated to AT_ONCE */
  @Field(() => ResultsRelease, { description: "when this exam's grades reach its students" })
  @Enum({ items: () => ResultsRelease, default: ResultsRelease.ON_PUBLICATION })
  resultsRelease: ResultsRelease & Opt = ResultsRelease.ON_PUBLICATION;

  @Field(() => Date, {
    nullable: true,
    description: "when the exam's results were published (ON_PUBLICATION); null until then and for AT_ONCE exams",
  })
  @Property({ type: DateTimeType, nullable: true })
  resultsPublishedAt?: Date | null;

  /** who published the results; GraphQL reads it through ExamResolver (staff and the exam's teacher) */
  @ManyToOne(() => User, { nullable: true, deleteRule: 'set null' })
  resultsPublishedBy?: User | null;
  @Field(() => Boolean, {
    description:
      "blind marking (issue 12): until the results are published the exam's teacher sees each sitting under a code (Sitting.blindCode), never the student; staff see both",
  })
  @Property({ type: 'boolean', default: false })
  blindMarking: boolean & Opt = false;

  @OneToMany('Sitting', 'exam')
  sittings = new Collection<Sitting>(this);

  @OneToMany('Ticket', 'exam')
  tickets = new Collection<Ticket>(this);
}
