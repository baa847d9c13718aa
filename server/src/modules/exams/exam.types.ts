import { Field, ObjectType } from 'type-graphql';
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
