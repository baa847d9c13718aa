import { Field, ID, ObjectType } from 'type-graphql';
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
