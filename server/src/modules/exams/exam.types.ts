import { Field, ID, Int, ObjectType } from 'type-graphql';
import { FileRef } from '../files/file-ref.type';

@ObjectType()
export class Task {
  @Field() text!: string;
  @Field(() => [FileRef]) files!: FileRef[];
}

@ObjectType({ description: 'R3.1' })
export class Platform {
  @Field() name!: string;
  @Field() url!: string;
  @Field(() => String, { nullable: true }) login?: string | null;
  @Field(() => String, { nullable: true }) password?: string | null;
}

@ObjectType({ description: 'R8.1' })
export class Recording {
  @Field() url!: string;
  @Field() visibleToStudents!: boolean;
}

@ObjectType({
  description:
    "Pushes to this exam may have been missed (the server's pub/sub link was down and is back): re-read the exam.",
})
export class ExamResync {
  @Field(() => ID) examId!: string;
  @Field({ description: 'when the server asked for it' }) at!: Date;
}

@ObjectType({ description: "What a new exam gets unless staff choose otherwise: the server's settings" })
export class ExamDefaults {
  @Field({ description: 'AUTO_SEND_AT_END: drafts are sent for the students at their end' })
  autoSendAtEnd!: boolean;

  @Field(() => Int, { description: 'SEND_GRACE_MS in seconds: how late after the end a Send is still taken' })
  sendGraceSeconds!: number;
}
