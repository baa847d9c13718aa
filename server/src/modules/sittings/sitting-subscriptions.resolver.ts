import { Arg, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../../context';
import { requireUser } from '../../common/auth';
import { ForbiddenError, withErrorCodes } from '../../common/errors';
import type { SittingEventPayload } from '../../common/events';
import { canSeeEverySitting } from '../../policy/sitting.policy';
import { visibleExam } from '../exams/exam-access';
import { counted, dropper, guarded, pushedSitting, studentStream, type Data } from '../exams/exam-streams';
import { Sitting } from './sitting.entity';
import type { Maybe } from '../../common/loaded';

@Resolver()
export class SittingSubscriptionResolver {
  @Subscription(() => Sitting, {
    description: withErrorCodes(
      "The calling student's own sitting, pushed when staff release their questions (R5.3). mySittingChanged pushes the same sitting then too; this one says that the push is a release.",
      'UNAUTHENTICATED',
      'NOT_FOUND',
    ),
    subscribe: async (data: Data) =>
      studentStream(
        data,
        data.context.services.events.released(data.args.examId, requireUser(data.context).id, dropper(data.context)),
      ),
  })
  questionsReleased(
    @Root() payload: SittingEventPayload,
    @Ctx() ctx: Context,
    @Arg('examId', () => ID, { description: 'The exam (Exam.id).' }) _examId: string,
  ): Maybe<Sitting> {
    return pushedSitting(ctx, payload);
  }

  @Subscription(() => Sitting, {
    description: withErrorCodes(
      "The calling student's own sitting, pushed whenever it or its exam changes (questions released, extra time, a grade, the platform, the recording, its answer saved or sent on another device or tab with the new text and version, …); after the change has committed, to that student only.",
      'UNAUTHENTICATED',
      'NOT_FOUND',
    ),
    subscribe: async (data: Data) =>
      studentStream(
        data,
        data.context.services.events.mySitting(data.args.examId, requireUser(data.context).id, dropper(data.context)),
      ),
  })
  mySittingChanged(
    @Root() payload: SittingEventPayload,
    @Ctx() ctx: Context,
    @Arg('examId', () => ID, { description: 'The exam (Exam.id).' }) _examId: string,
  ): Maybe<Sitting> {
    return pushedSitting(ctx, payload);
  }

  @Subscription(() => Sitting, {
    description: withErrorCodes(
      "Staff and the exam's teacher: a student's sitting, pushed when it changes: presence, ticket, release, view, save, send and grade (R2.1, R5.3).",
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
    ),
    subscribe: async ({ args, context }: Data) =>
      guarded(context, context.services.events.sittings(args.examId, dropper(context)), async (stream) => {
        const exam = await visibleExam(context, args.examId);
        if (!canSeeEverySitting(context.user, exam))
          throw new ForbiddenError("Only staff and the exam's teacher follow every sitting.");
        return counted(context, exam.id, stream);
      }),
  })
  sittingChanged(
    @Root() payload: SittingEventPayload,
    @Ctx() ctx: Context,
    @Arg('examId', () => ID, { description: 'The exam (Exam.id).' }) _examId: string,
  ): Maybe<Sitting> {
    return pushedSitting(ctx, payload);
  }
}
