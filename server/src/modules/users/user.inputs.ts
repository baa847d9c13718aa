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
  @Field(() => String, {
    nullable: true,
    description:
      "the student information system's own key of the person (at most 100 characters): the person is matched by it when given, else by login; it may not belong to another login (EXTERNAL_ID_CLASH)",
  })
  externalId?: string | null;
}
