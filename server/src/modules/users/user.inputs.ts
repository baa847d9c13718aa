import { Field, InputType } from 'type-graphql';
import { Role } from './user.entity';

@InputType({
  description: "A person from the university's student information system; password is set only when given.",
})
export class UserInput {
  @Field() login!: string;
  @Field() fullName!: string;
  @Field(() => Role) role!: Role;
  @Field(() => String, { nullable: true }) password?: string | null;
}
