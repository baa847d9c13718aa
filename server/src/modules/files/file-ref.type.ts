import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A stored file (of a ticket, a task or an answer) and where to download it.' })
export class FileRef {
  @Field(() => ID, { description: "The file's identifier." })
  id!: string;

  @Field({
    description: 'Its name as uploaded (base name only, cleaned of control characters, at most 200 characters).',
  })
  name!: string;

  @Field(() => Int, { description: 'Its size in bytes.' })
  size!: number;

  @Field({ description: 'Its media type as uploaded (e.g. application/pdf).' })
  contentType!: string;

  @Field({
    description:
      'A signed download address, relative to the server (GET it; no header needed); valid for FILE_URL_TTL_MINUTES while the session lasts.',
  })
  url!: string;
}
