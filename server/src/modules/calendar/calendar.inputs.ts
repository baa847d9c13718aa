import { Field, InputType, Int } from 'type-graphql';
import { LocalDateScalar } from '../../common/scalars';

@InputType({
  description: 'issue 13: a discipline from the student information system, matched by externalId, else by code',
})
export class DisciplineInput {
  @Field({ description: 'the short code, e.g. HIS-101 (unique, at most 50 characters)' }) code!: string;
  @Field({ description: 'the name shown to people (at most 300 characters)' }) title!: string;
  @Field(() => String, {
    nullable: true,
    description:
      "the student information system's own key (at most 100 characters); it may not belong to another code (EXTERNAL_ID_CLASH)",
  })
  externalId?: string | null;
}

@InputType({
  description: 'issue 13: a period of an academic year, matched by externalId, else by its number in the year',
})
export class PeriodInput {
  @Field(() => Int, { description: 'the number of the period within its academic year (1, 2 …)' }) number!: number;
  @Field({ description: 'the name shown to people (at most 100 characters)' }) title!: string;
  @Field(() => LocalDateScalar, { description: 'its first day' }) startsOn!: string;
  @Field(() => LocalDateScalar, { description: 'its last day (not before startsOn)' }) endsOn!: string;
  @Field(() => String, {
    nullable: true,
    description: "the student information system's own key (at most 100 characters)",
  })
  externalId?: string | null;
}

@InputType({
  description: 'issue 13: an academic year with its periods, matched by externalId, else by title',
})
export class AcademicYearInput {
  @Field({ description: 'e.g. 2026-2027 (unique, at most 20 characters)' }) title!: string;
  @Field(() => LocalDateScalar, { description: 'its first day' }) startsOn!: string;
  @Field(() => LocalDateScalar, { description: 'its last day (not before startsOn)' }) endsOn!: string;
  @Field(() => String, {
    nullable: true,
    description: "the student information system's own key (at most 100 characters)",
  })
  externalId?: string | null;
  @Field(() => [PeriodInput], {
    nullable: true,
    description: 'its periods to create or update; periods not listed are kept as they are',
  })
  periods?: PeriodInput[] | null;
}
