import { Entity, Enum, OneToOne, Property, DateTimeType, type Opt } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../common/base.entity';
import { Sitting } from '../sittings/sitting.entity';

export enum AnswerStatus {
  DRAFT = 'DRAFT',
  SUBMITTED = 'SUBMITTED',
}
registerEnumType(AnswerStatus, { name: 'AnswerStatus' });

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
});

/** Created on the first save or upload; locked once SUBMITTED (R7.6). */
@ObjectType()
@Entity({ tableName: 'answers' })
export class Answer extends BaseEntity {
  @OneToOne(() => Sitting, (sitting) => sitting.answer, { owner: true, unique: true, deleteRule: 'cascade' })
  sitting!: Sitting;

  @Field(() => String)
  @Property({ type: 'text' })
  text: string & Opt = '';

  @Field(() => AnswerStatus)
  @Enum({ items: () => AnswerStatus })
  status: AnswerStatus & Opt = AnswerStatus.DRAFT;

  @Field(() => Date, { nullable: true })
  @Property({ type: DateTimeType, nullable: true })
  savedAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: DateTimeType, nullable: true })
  submittedAt?: Date | null;

  @Field(() => AnswerSendMode, { nullable: true, description: 'how the answer was sent; null while a draft' })
  @Enum({ items: () => AnswerSendMode, nullable: true })
  sendMode?: AnswerSendMode | null;

  /**
   * The version of the text: 0 until the first save, one more with every save or send. A page sends the version it
   * last saw (`baseVersion`) so a save over a change made elsewhere is refused (ANSWER_CONFLICT), not silently lost.
   * Files do not count: they are a set every page adds to, and the upload endpoint answers the files, not the answer;
   * nor does the automatic send at the end (draft-sender.ts), which changes no text and leaves no page to write.
   */
  @Field(() => Int, { description: 'one more with every save or send of the text; send it back as baseVersion' })
  @Property({ type: 'integer', default: 0 })
  version: number & Opt = 0;
}
