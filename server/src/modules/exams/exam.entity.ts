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
registerEnumType(ExamFormat, {
  name: 'ExamFormat',
  description: 'How an exam gives its questions.',
  valuesConfig: {
    TICKETS: { description: 'Each student answers the questions of one numbered ticket.' },
    TASK: { description: 'Every student answers the same task, shown to all at the start.' },
  },
});

export enum TicketAssignment {
  STUDENT_CHOICE = 'STUDENT_CHOICE',
  RANDOM = 'RANDOM',
  STAFF = 'STAFF',
}
registerEnumType(TicketAssignment, {
  name: 'TicketAssignment',
  description: 'How a student of a TICKETS exam gets a ticket (R4.1).',
  valuesConfig: {
    STUDENT_CHOICE: { description: 'The student picks one tile from the board, once (R4.3).' },
    RANDOM: { description: 'The server draws a free ticket when the student enters the exam.' },
    STAFF: { description: 'Staff give each student a ticket (assignTicket).' },
  },
});

/** issue 12: when students see their grades */
export enum ResultsRelease {
  AT_ONCE = 'AT_ONCE',
  ON_PUBLICATION = 'ON_PUBLICATION',
}
registerEnumType(ResultsRelease, {
  name: 'ResultsRelease',
  description: "When an exam's grades reach its students (issue 12).",
  valuesConfig: {
    AT_ONCE: { description: 'Each grade is published the moment it is saved (the behaviour before issue 12).' },
    ON_PUBLICATION: {
      description: "Grades are drafts until the teacher or staff publish the exam's results, all together.",
    },
  },
});

@ObjectType({
  description:
    'One online exam of a discipline in a period: its times, format, students and tickets. Staff see every exam, a teacher the exams they teach, a student those they are enrolled at.',
})
@Entity({ tableName: 'exams' })
export class Exam extends BaseEntity {
  @ManyToOne(() => Period)
  period!: Period;

  @ManyToOne(() => Discipline)
  discipline!: Discipline;

  @ManyToOne(() => User)
  teacher!: User;

  @Field({ description: 'When it starts (UTC); show it in the university time zone (Query.timeZone).' })
  @Property({ type: DateTimeType })
  startsAt!: Date;

  @Field({ description: "When it ends for everyone (UTC); a student's own end may be later: Sitting.endsAt." })
  @Property({ type: DateTimeType })
  endsAt!: Date;

  @Field(() => ExamFormat, { description: 'Tickets or one task.' })
  @Enum({ items: () => ExamFormat })
  format!: ExamFormat;

  @Field(() => TicketAssignment, {
    nullable: true,
    description: 'How students get tickets; null for a TASK exam (a TICKETS exam without one: STUDENT_CHOICE).',
  })
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
  @Field(() => ResultsRelease, { description: "When this exam's grades reach its students." })
  @Enum({ items: () => ResultsRelease, default: ResultsRelease.ON_PUBLICATION })
  resultsRelease: ResultsRelease & Opt = ResultsRelease.ON_PUBLICATION;

  @Field(() => Date, {
    nullable: true,
    description: "When the exam's results were published (ON_PUBLICATION); null until then and for AT_ONCE exams.",
  })
  @Property({ type: DateTimeType, nullable: true })
  resultsPublishedAt?: Date | null;

  /** who published the results; GraphQL reads it through ExamResolver (staff and the exam's teacher) */
  @ManyToOne(() => User, { nullable: true, deleteRule: 'set null' })
  resultsPublishedBy?: User | null;
  @Field(() => Boolean, {
    description:
      "Blind marking: until the results are published the exam's teacher sees each sitting under a code (Sitting.blindCode), never the student; staff see both. Needs resultsRelease ON_PUBLICATION.",
  })
  @Property({ type: 'boolean', default: false })
  blindMarking: boolean & Opt = false;

  @OneToMany('Sitting', 'exam')
  sittings = new Collection<Sitting>(this);

  @OneToMany('Ticket', 'exam')
  tickets = new Collection<Ticket>(this);
}
