import { Field, Float, Int, ObjectType } from 'type-graphql';
import { User } from '../users/user.entity';

@ObjectType({ description: '100-point score with its letter and GPA points (R7.7).' })
export class Grade {
  @Field(() => Int)
  score!: number;

  @Field()
  letter!: string;

  @Field(() => Float)
  gpa!: number;

  @Field(() => String, { nullable: true })
  comment?: string | null;

  @Field()
  gradedAt!: Date;

  @Field(() => User)
  gradedBy!: User;
}
