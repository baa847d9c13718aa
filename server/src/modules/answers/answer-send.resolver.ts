import { Ctx, FieldResolver, Resolver, Root, registerEnumType } from 'type-graphql';
import type { Context } from '../../context';
import { loadersOf } from '../../loaders';
import { hasEnded, isSubstantialAnswer } from '../../rules';
import { sendsDraftsAtEnd } from '../exams/exam-rules';
import { Sitting } from '../sittings/sitting.entity';
import { answerOf, examOf } from '../sittings/sitting-relations';
import { AnswerSendMode, AnswerStatus, type Answer } from './answer.entity';
import { thenMaybe, type Maybe } from '../../common/loaded';

/** Why an answer is still a draft after the student's end. */
export enum DraftAfterEnd {
  /** it holds too little to count (under the answer minimum, no file): it is not sent */
  TOO_SHORT = 'TOO_SHORT',
  /** the exam does not send drafts at the end (autoSendAtEnd off) */
  AUTO_SEND_OFF = 'AUTO_SEND_OFF',
  /** it will be sent for the student within moments (the grace for a late Send, then the next sweep) */
  AWAITING_AUTO_SEND = 'AWAITING_AUTO_SEND',
}
registerEnumType(DraftAfterEnd, {
  name: 'DraftAfterEnd',
  description: "Why a sitting's answer is still a draft after its end.",
  valuesConfig: {
    TOO_SHORT: { description: 'It holds too little to count (under the answer minimum, no file): it is not sent.' },
    AUTO_SEND_OFF: { description: 'The exam does not send drafts at the end (Exam.autoSendAtEnd is false).' },
    AWAITING_AUTO_SEND: {
      description:
        'It will be sent for the student within moments (after the grace for a late Send, at the next sweep).',
    },
  },
});

/** How a sitting's answer was sent, and why a draft was not: for the student, staff and the exam's teacher. */
@Resolver(() => Sitting)
export class SittingSendResolver {
  @FieldResolver(() => AnswerSendMode, {
    nullable: true,
    description:
      'How the answer was sent (by the student, within the grace, or automatically at the end); null unless sent.',
  })
  answerSendMode(@Root() sitting: Sitting, @Ctx() ctx: Context): Maybe<AnswerSendMode | null> {
    return thenMaybe(answerOf(ctx.em, sitting), (answer) =>
      answer?.status === AnswerStatus.SUBMITTED ? (answer.sendMode ?? AnswerSendMode.STUDENT) : null,
    );
  }

  @FieldResolver(() => DraftAfterEnd, {
    nullable: true,
    description:
      "Why the answer is still a draft, after the student's end only (a draft is theirs alone while the exam runs, R7.4); null otherwise.",
  })
  draftAfterEnd(@Root() sitting: Sitting, @Ctx() ctx: Context): Maybe<DraftAfterEnd | null> {
    return thenMaybe(answerOf(ctx.em, sitting), (answer) =>
      answer?.status !== AnswerStatus.DRAFT ? null : draftReason(ctx, sitting, answer),
    );
  }
}

/** why a draft is still a draft once the student's end has passed (null before it) */
async function draftReason(ctx: Context, sitting: Sitting, answer: Answer): Promise<DraftAfterEnd | null> {
  const exam = await examOf(ctx.em, sitting);
  if (!hasEnded(exam, sitting, ctx.services.now())) return null;
  const files = (await loadersOf(ctx).files('answer').load(answer.id)).filter((f) => Number(f.size) > 0).length;
  if (!isSubstantialAnswer(answer.text, files)) return DraftAfterEnd.TOO_SHORT;
  return sendsDraftsAtEnd(exam, ctx.services.config.autoSendAtEnd)
    ? DraftAfterEnd.AWAITING_AUTO_SEND
    : DraftAfterEnd.AUTO_SEND_OFF;
}
