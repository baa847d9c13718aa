import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType()
export class FileRef {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => Int)
  size!: number;

  @Field()
  contentType!: string;

  @Field({ description: 'authorised download address, relative to the server' })
  url!: string;
}
