import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { requireUser } from '../../common/auth';
import { withErrorCodes } from '../../common/errors';
import { loadersOf } from '../../loaders';
import { related, thenMaybe, type Maybe } from '../../common/loaded';
import { studentAnswerSitting, studentSitting } from '../exams/exam-access';
import { FileRef } from '../files/file-ref.type';
import { Sitting } from '../sittings/sitting.entity';
import { answerOf } from '../sittings/sitting-relations';
import { Role } from '../users/user.entity';
import { Answer, AnswerStatus } from './answer.entity';
import { answerFilesAsSeen } from '../blind/blind-view';
import { canSeeAnswer } from '../../policy/answer.policy';

const BASE_VERSION =
  "The answer's version the page last saw (Answer.version): refused with ANSWER_CONFLICT when it changed since; omitted: the last write wins.";
const ANSWER_TEXT = 'The whole answer text (it replaces the saved one), up to MAX_ANSWER_CHARS.';

/** The student's writing of an answer, and its files. */
@Resolver(() => Answer)
export class AnswerResolver {
  @Authorized(Role.STUDENT)
  @Mutation(() => Answer, {
    description: withErrorCodes(
      'The calling student saves their draft while the exam is open for them and they have seen the questions (R7.4): at least the answer minimum (10 characters) or a file. Limited per minute (SAVES_PER_MINUTE).',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'BAD_USER_INPUT',
      'EXAM_NOT_STARTED',
      'EXAM_ENDED',
      'ANSWER_SUBMITTED',
      'ANSWER_TOO_SHORT',
      'ANSWER_CONFLICT',
      'TOO_MANY_REQUESTS',
    ),
  })
  async saveAnswer(
    @Ctx() ctx: Context,
    @Arg('examId', () => ID, { description: 'The exam (Exam.id).' }) examId: string,
    @Arg('text', { description: ANSWER_TEXT }) text: string,
    @Arg('baseVersion', () => Int, { nullable: true, description: BASE_VERSION }) baseVersion?: number | null,
  ): Promise<Answer> {
    await ctx.services.rateLimits.studentSave(requireUser(ctx).id);
    const { exam, sitting } = await studentAnswerSitting(ctx, examId);
    return ctx.services.answers.write(ctx.em, exam, sitting, text, false, ctx.services.now(), baseVersion ?? null);
  }

  @Authorized(Role.STUDENT)
  @Mutation(() => Answer, {
    description: withErrorCodes(
      'The calling student sends their answer: the text given is saved and sent in one step and then locked (R7.5, R7.6). Taken until their end, and within SEND_GRACE_MS after it (marked LATE_WITHIN_GRACE).',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'BAD_USER_INPUT',
      'EXAM_NOT_STARTED',
      'EXAM_ENDED',
      'ANSWER_SUBMITTED',
      'ANSWER_TOO_SHORT',
      'ANSWER_CONFLICT',
    ),
  })
  async submitAnswer(
    @Ctx() ctx: Context,
    @Arg('examId', () => ID, { description: 'The exam (Exam.id).' }) examId: string,
    @Arg('text', { description: ANSWER_TEXT }) text: string,
    @Arg('baseVersion', () => Int, { nullable: true, description: BASE_VERSION }) baseVersion?: number | null,
  ): Promise<Answer> {
    const { exam, sitting } = await studentAnswerSitting(ctx, examId);
    return ctx.services.answers.write(ctx.em, exam, sitting, text, true, ctx.services.now(), baseVersion ?? null);
  }

  @Authorized(Role.STUDENT)
  @Mutation(() => Answer, {
    description: withErrorCodes(
      'The calling student removes one file from their draft while the exam is open for them (R7.3); files are added through POST /files/answers/:examId.',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'EXAM_NOT_STARTED',
      'EXAM_ENDED',
      'ANSWER_SUBMITTED',
    ),
  })
  async deleteAnswerFile(
    @Ctx() ctx: Context,
    @Arg('examId', () => ID, { description: 'The exam (Exam.id).' }) examId: string,
    @Arg('fileId', () => ID, { description: 'The file (FileRef.id) of the draft.' }) fileId: string,
  ): Promise<Answer> {
    const { exam, sitting } = await studentSitting(ctx, examId);
    return ctx.services.answers.deleteFile(ctx.em, exam, sitting, fileId, ctx.services.now());
  }

  @FieldResolver(() => [FileRef], {
    description:
      'Its files in upload order: the author always; the teacher and staff only once it is sent (R7.4), else an empty list.',
  })
  async files(@Root() answer: Answer, @Ctx() ctx: Context): Promise<FileRef[]> {
    if (answer.status !== AnswerStatus.SUBMITTED) {
      const sitting = await related(ctx.em, answer, 'sitting');
      if (!canSeeAnswer(ctx.user, { authorId: sitting.student.id, status: answer.status })) return [];
    }
    const files = await loadersOf(ctx).files('answer').load(answer.id);
    return answerFilesAsSeen(
      ctx,
      answer,
      files.map((f) => ctx.services.files.toRef(f, ctx.session)),
    );
  }
}

/** A sitting's answer: its text for the author, and for teacher and staff once sent; its status and times for all who see the sitting. */
@Resolver(() => Sitting)
export class SittingAnswerResolver {
  @FieldResolver(() => Answer, {
    nullable: true,
    description:
      "The answer: the student's own always; for the teacher and staff only once SUBMITTED, else null (R7.4). Null before the first save or upload.",
  })
  answer(@Root() sitting: Sitting, @Ctx() ctx: Context): Maybe<Answer | null> {
    return thenMaybe(answerOf(ctx.em, sitting), (answer) => {
      if (!answer) return null;
      return canSeeAnswer(ctx.user, { authorId: sitting.student.id, status: answer.status }) ? answer : null;
    });
  }

  @FieldResolver(() => AnswerStatus, {
    nullable: true,
    description:
      'DRAFT or SUBMITTED, for everyone who sees the sitting (the text stays with the student until sent); null: no answer yet.',
  })
  answerStatus(@Root() sitting: Sitting, @Ctx() ctx: Context): Maybe<AnswerStatus | null> {
    return thenMaybe(answerOf(ctx.em, sitting), (answer) => answer?.status ?? null);
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description:
      'When the answer text was last saved (UTC), drafts included: the time only, never the text; null: not saved.',
  })
  answerSavedAt(@Root() sitting: Sitting, @Ctx() ctx: Context): Maybe<Date | null> {
    return thenMaybe(answerOf(ctx.em, sitting), (answer) => answer?.savedAt ?? null);
  }

  @FieldResolver(() => Date, { nullable: true, description: 'When the answer was sent (UTC); null while unsent.' })
  submittedAt(@Root() sitting: Sitting, @Ctx() ctx: Context): Maybe<Date | null> {
    return thenMaybe(answerOf(ctx.em, sitting), (answer) => answer?.submittedAt ?? null);
  }
}
