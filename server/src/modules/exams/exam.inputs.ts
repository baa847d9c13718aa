import { Field, ID, InputType } from 'type-graphql';
import { ExamFormat, ResultsRelease, TicketAssignment } from './exam.entity';

@InputType()
export class ExamInput {
  @Field(() => ID) periodId!: string;
  @Field(() => ID) disciplineId!: string;
  @Field(() => ID) teacherId!: string;
  @Field() startsAt!: Date;
  @Field() endsAt!: Date;
  @Field(() => ExamFormat) format!: ExamFormat;
  @Field(() => TicketAssignment, { nullable: true }) ticketAssignment?: TicketAssignment | null;
  @Field(() => String, { nullable: true }) taskText?: string | null;
  @Field(() => [ID]) studentIds!: string[];
  @Field(() => Boolean, {
    nullable: true,
    description: "send each student's draft at their end; omitted: the server's default on create, unchanged on update",
  })
  autoSendAtEnd?: boolean | null;
  @Field(() => ResultsRelease, {
    nullable: true,
    description:
      'issue 12: when grades reach the students; omitted: ON_PUBLICATION on create, unchanged on update (fixed once a grade is published)',
  })
  resultsRelease?: ResultsRelease | null;
  @Field(() => Boolean, {
    nullable: true,
    description:
      'blind marking: the teacher grades under codes until the results are published; omitted: off on create, unchanged on update',
  })
  blindMarking?: boolean | null;
}

@InputType()
export class PlatformInput {
  @Field() name!: string;
  @Field() url!: string;
  @Field(() => String, { nullable: true }) login?: string | null;
  @Field(() => String, { nullable: true }) password?: string | null;
}
