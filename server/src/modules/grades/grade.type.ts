import { Field, Float, Int, ObjectType } from 'type-graphql';
import { User } from '../users/user.entity';

@ObjectType({
  description:
    "A grade: the 100-point score with its letter and GPA points (R7.7). The student, the exam's teacher and staff see it.",
})
export class Grade {
  @Field(() => Int, { description: 'The score, a whole number from 0 to 100.' })
  score!: number;

  @Field({ description: 'The letter of the score on the credit-system scale (A, A-, B+, … F).' })
  letter!: string;

  @Field(() => Float, { description: 'The GPA points of the score (0 to 4).' })
  gpa!: number;

  @Field(() => String, { nullable: true, description: "The grader's comment to the student; null when none." })
  comment?: string | null;

  @Field({ description: 'When it was given or last changed (UTC).' })
  gradedAt!: Date;

  @Field(() => User, { description: 'Who gave it: the teacher or staff.' })
  gradedBy!: User;
}
