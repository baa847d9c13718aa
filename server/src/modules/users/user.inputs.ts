import { Field, InputType } from 'type-graphql';
import { Role } from './user.entity';

@InputType({
  description: "A person from the university's student information system; password is set only when given.",
})
export class UserInput {
  @Field({ description: 'The sign-in name: the key an existing person is found by (2–100 letters, digits, . _ @ -).' })
  login!: string;

  @Field({ description: 'The full name (up to 300 characters).' })
  fullName!: string;

  @Field(() => Role, { description: "The person's role; an existing person's role is replaced." })
  role!: Role;

  @Field(() => String, {
    nullable: true,
    description: 'A new password (at least 4 characters); omitted or null: an existing password stays as it is.',
  })
  password?: string | null;
}
