import { Field, ID, InputType } from 'type-graphql';

@InputType({ description: "E6: a retake of an exam for its FX students; everything not given here is the exam's" })
export class RetakeInput {
  @Field({ description: "the retake's start (after the exam's end, not in the past)" })
  startsAt!: Date;

  @Field({ description: "the retake's end: after its start, at most a week later (the exam rules)" })
  endsAt!: Date;

  @Field(() => ID, { nullable: true, description: "who teaches and grades the retake; omitted: the exam's teacher" })
  teacherId?: string | null;
}
