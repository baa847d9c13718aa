import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { requireUser } from '../../common/auth';
import { loadersOf } from '../../loaders';
import { related } from '../../common/loaded';
import { studentSitting } from '../exams/exam-access';
import { FileRef } from '../files/file-ref.type';
import { Sitting } from '../sittings/sitting.entity';
import { answerOf } from '../sittings/sitting-relations';
import { Role } from '../users/user.entity';
import { Answer, AnswerStatus } from './answer.entity';
import { answerFilesAsSeen } from '../blind/blind-view';
import { canSeeAnswer } from '../../policy/answer.policy';

const BASE_VERSION =
  "the answer's version the page last saw: refused with ANSWER_CONFLICT when it changed since; without it the last write wins";

/** The student's writing of an answer, and its files. */
@Resolver(() => Answer)
export class AnswerResolver {
  @Authorized(Role.STUDENT)
  @Mutation(() => Answer, { description: 'R7.4' })
  async saveAnswer(
    @Ctx() ctx: Context,
    @Arg('examId', () => ID) examId: string,
    @Arg('text') text: string,
    @Arg('baseVersion', () => Int, { nullable: true, description: BASE_VERSION }) baseVersion?: number | null,
  ): Promise<Answer> {
    await ctx.services.rateLimits.studentSave(requireUser(ctx).id);
    const { exam, sitting } = await studentSitting(ctx, examId, true);
    return ctx.services.answers.write(ctx.em, exam, sitting, text, false, ctx.services.now(), baseVersion ?? null);
  }

  @Authorized(Role.STUDENT)
  @Mutation(() => Answer, { description: 'R7.5, R7.6: the text sent is saved and submitted in one step' })
  async submitAnswer(
    @Ctx() ctx: Context,
    @Arg('examId', () => ID) examId: string,
    @Arg('text') text: string,
    @Arg('baseVersion', () => Int, { nullable: true, description: BASE_VERSION }) baseVersion?: number | null,
  ): Promise<Answer> {
    const { exam, sitting } = await studentSitting(ctx, examId, true);
    return ctx.services.answers.write(ctx.em, exam, sitting, text, true, ctx.services.now(), baseVersion ?? null);
  }

  @Authorized(Role.STUDENT)
  @Mutation(() => Answer, { description: 'R7.3' })
  async deleteAnswerFile(
    @Ctx() ctx: Context,
    @Arg('examId', () => ID) examId: string,
    @Arg('fileId', () => ID) fileId: string,
  ): Promise<Answer> {
    const { exam, sitting } = await studentSitting(ctx, examId);
    return ctx.services.answers.deleteFile(ctx.em, exam, sitting, fileId, ctx.services.now());
  }

  @FieldResolver(() => [FileRef], {
    description:
      "the author's always; others see a draft's files never (R7.4), a sent answer's where they may see the answer",
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
    description: "the student's own answer; for teacher and staff only once SUBMITTED (R7.4)",
  })
  async answer(@Root() sitting: Sitting, @Ctx() ctx: Context): Promise<Answer | null> {
    const answer = await answerOf(ctx.em, sitting);
    if (!answer) return null;
    return canSeeAnswer(ctx.user, { authorId: sitting.student.id, status: answer.status }) ? answer : null;
  }

  @FieldResolver(() => AnswerStatus, {
    nullable: true,
    description: 'whether an answer exists and is sent; its text stays with the student until sent',
  })
  async answerStatus(@Root() sitting: Sitting, @Ctx() ctx: Context): Promise<AnswerStatus | null> {
    return (await answerOf(ctx.em, sitting))?.status ?? null;
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description: 'when the answer was last saved (drafts included: the time only, never the text)',
  })
  async answerSavedAt(@Root() sitting: Sitting, @Ctx() ctx: Context): Promise<Date | null> {
    return (await answerOf(ctx.em, sitting))?.savedAt ?? null;
  }

  @FieldResolver(() => Date, { nullable: true, description: 'when the answer was sent' })
  async submittedAt(@Root() sitting: Sitting, @Ctx() ctx: Context): Promise<Date | null> {
    return (await answerOf(ctx.em, sitting))?.submittedAt ?? null;
  }
}
