import { Field, ID, InputType } from 'type-graphql';
import { ExamFormat, ResultsRelease, TicketAssignment } from './exam.entity';

@InputType({ description: 'An exam as staff set it up: the whole of it, on create and on update alike.' })
export class ExamInput {
  @Field(() => ID, { description: 'The academic period (Period.id).' })
  periodId!: string;

  @Field(() => ID, { description: 'The discipline (Discipline.id).' })
  disciplineId!: string;

  @Field(() => ID, { description: 'The teacher who grades it: a person with the TEACHER role.' })
  teacherId!: string;

  @Field({ description: 'The start, an instant in UTC.' })
  startsAt!: Date;

  @Field({ description: 'The end, an instant in UTC after the start; an exam lasts at most a week.' })
  endsAt!: Date;

  @Field(() => ExamFormat, { description: 'Tickets or one task; fixed once students hold tickets.' })
  format!: ExamFormat;

  @Field(() => TicketAssignment, {
    nullable: true,
    description:
      'How students get tickets (TICKETS only; leave it null for a TASK exam). Null on TICKETS: STUDENT_CHOICE.',
  })
  ticketAssignment?: TicketAssignment | null;

  @Field(() => String, { nullable: true, description: 'The task text (TASK exams); longer material goes in a file.' })
  taskText?: string | null;

  @Field(() => [ID], {
    description: 'Every enrolled student (User.id, role STUDENT); a student who has entered cannot be left out.',
  })
  studentIds!: string[];
  @Field(() => Boolean, {
    nullable: true,
    description:
      "Send each student's draft at their end; omitted: the server's default on create, unchanged on update.",
  })
  autoSendAtEnd?: boolean | null;
  @Field(() => ResultsRelease, {
    nullable: true,
    description:
      'When grades reach the students; omitted: ON_PUBLICATION on create, unchanged on update (fixed once a grade is published).',
  })
  resultsRelease?: ResultsRelease | null;
  @Field(() => Boolean, {
    nullable: true,
    description:
      'Blind marking: the teacher grades under codes until the results are published (needs resultsRelease ON_PUBLICATION); omitted: off on create, unchanged on update.',
  })
  blindMarking?: boolean | null;
}

@InputType({ description: "The exam's online platform (R2.6, R3.1)." })
export class PlatformInput {
  @Field({ description: 'Its name (e.g. Zoom), up to 200 characters.' })
  name!: string;

  @Field({ description: 'The conference address, http:// or https://, up to 2000 characters.' })
  url!: string;

  @Field(() => String, { nullable: true, description: 'The login to join with, up to 200 characters.' })
  login?: string | null;

  @Field(() => String, { nullable: true, description: 'The password to join with, up to 200 characters.' })
  password?: string | null;
}
