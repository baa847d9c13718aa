import { Field, ID, Int, ObjectType } from 'type-graphql';
import { FileRef } from '../files/file-ref.type';

@ObjectType({ description: 'The task of a TASK exam: the same for every student (R6.1).' })
export class Task {
  @Field({ description: 'The task text as staff entered it (plain text, line breaks kept).' })
  text!: string;

  @Field(() => [FileRef], { description: "The task's files, in upload order." })
  files!: FileRef[];
}

@ObjectType({
  description:
    'Where the exam is held online (a video conference); shown to the enrolled students, staff and the teacher (R2.6, R3.1).',
})
export class Platform {
  @Field({ description: 'Its name (e.g. Zoom, Microsoft Teams).' })
  name!: string;

  @Field({ description: "The conference's address (http or https)." })
  url!: string;

  @Field(() => String, { nullable: true, description: 'The login to join with; null when none is needed.' })
  login?: string | null;

  @Field(() => String, { nullable: true, description: 'The password to join with; null when none is needed.' })
  password?: string | null;
}

@ObjectType({ description: "The exam's video recording (R8.1)." })
export class Recording {
  @Field({ description: "The recording's address." })
  url!: string;

  @Field({ description: 'Whether staff let the enrolled students watch it.' })
  visibleToStudents!: boolean;
}

@ObjectType({
  description:
    "Pushes to this exam may have been missed (the server's pub/sub link was down and is back): re-read the exam.",
})
export class ExamResync {
  @Field(() => ID, { description: 'The exam to re-read.' })
  examId!: string;

  @Field({ description: 'When the server asked for it (UTC).' })
  at!: Date;
}

@ObjectType({ description: "What a new exam gets unless staff choose otherwise: the server's settings" })
export class ExamDefaults {
  @Field({ description: "Whether a new exam sends each student's draft at their end (the AUTO_SEND_AT_END setting)." })
  autoSendAtEnd!: boolean;

  @Field(() => Int, {
    description:
      "How many seconds after a student's end their Send is still taken (the SEND_GRACE_MS setting, in seconds).",
  })
  sendGraceSeconds!: number;
}
