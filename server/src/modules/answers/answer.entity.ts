import { Entity, Enum, OneToOne, Property, DateTimeType, type Opt } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../common/base.entity';
import { Sitting } from '../sittings/sitting.entity';

export enum AnswerStatus {
  DRAFT = 'DRAFT',
  SUBMITTED = 'SUBMITTED',
}
registerEnumType(AnswerStatus, {
  name: 'AnswerStatus',
  description: 'Where an answer stands.',
  valuesConfig: {
    DRAFT: { description: 'Saved, not sent: the student alone sees its text and files while the exam runs (R7.4).' },
    SUBMITTED: { description: 'Sent: locked, with its sending time; the teacher and staff see it (R7.6).' },
  },
});

/** Who sent an answer, and how: the mark staff, the teacher and the student see beside a sent answer. */
export enum AnswerSendMode {
  /** the student pressed Send before their end */
  STUDENT = 'STUDENT',
  /** the student's Send arrived after their end, within SEND_GRACE_MS */
  LATE_WITHIN_GRACE = 'LATE_WITHIN_GRACE',
  /** the server sent the student's draft at their end (Exam.autoSendAtEnd) */
  AUTOMATIC = 'AUTOMATIC',
}
registerEnumType(AnswerSendMode, {
  name: 'AnswerSendMode',
  description:
    'How a sent answer was sent: by the student, by the student within the grace after the end, or by the server at the end.',
  valuesConfig: {
    STUDENT: { description: 'The student pressed Send before their end.' },
    LATE_WITHIN_GRACE: { description: "The student's Send arrived after their end, within the grace (SEND_GRACE_MS)." },
    AUTOMATIC: { description: "The server sent the student's draft at their end (Exam.autoSendAtEnd)." },
  },
});

/** Created on the first save or upload; locked once SUBMITTED (R7.6). */
@ObjectType({
  description:
    "A student's answer at one exam: text and files. The student sees it always; the teacher and staff once it is sent (R7.4).",
})
@Entity({ tableName: 'answers' })
export class Answer extends BaseEntity {
  @OneToOne(() => Sitting, (sitting) => sitting.answer, { owner: true, unique: true, deleteRule: 'cascade' })
  sitting!: Sitting;

  @Field(() => String, {
    description: 'The answer text (plain text, up to MAX_ANSWER_CHARS UTF-16 code units); empty when only files.',
  })
  @Property({ type: 'text' })
  text: string & Opt = '';

  @Field(() => AnswerStatus, { description: 'Draft or sent.' })
  @Enum({ items: () => AnswerStatus })
  status: AnswerStatus & Opt = AnswerStatus.DRAFT;

  @Field(() => Date, {
    nullable: true,
    description: 'When its text was last saved or sent (UTC); null: only files so far.',
  })
  @Property({ type: DateTimeType, nullable: true })
  savedAt?: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: "When it was sent (UTC; for an automatic send, the student's end); null while a draft (R7.6).",
  })
  @Property({ type: DateTimeType, nullable: true })
  submittedAt?: Date | null;

  @Field(() => AnswerSendMode, { nullable: true, description: 'How it was sent; null while a draft.' })
  @Enum({ items: () => AnswerSendMode, nullable: true })
  sendMode?: AnswerSendMode | null;

  /**
   * The version of the text: 0 until the first save, one more with every save or send. A page sends the version it
   * last saw (`baseVersion`) so a save over a change made elsewhere is refused (ANSWER_CONFLICT), not silently lost.
   * Files do not count: they are a set every page adds to, and the upload endpoint answers the files, not the answer;
   * nor does the automatic send at the end (draft-sender.ts), which changes no text and leaves no page to write.
   */
  @Field(() => Int, {
    description:
      'The version of its text: 0 before the first save, one more with every save or send; send it back as baseVersion.',
  })
  @Property({ type: 'integer', default: 0 })
  version: number & Opt = 0;
}
