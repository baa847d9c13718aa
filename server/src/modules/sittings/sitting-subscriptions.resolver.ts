import { Arg, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../../context';
import { requireUser } from '../../common/auth';
import { ForbiddenError } from '../../common/errors';
import type { SittingEventPayload } from '../../common/events';
import { canSeeEverySitting } from '../../policy/sitting.policy';
import { visibleExam } from '../exams/exam-access';
import { counted, dropper, guarded, pushedSitting, studentStream, type Data } from '../exams/exam-streams';
import { Sitting } from './sitting.entity';

@Resolver()
export class SittingSubscriptionResolver {
  @Subscription(() => Sitting, {
    description: "R5.3: the calling student's own sitting, pushed when staff release their questions",
    subscribe: async (data: Data) =>
      studentStream(
        data,
        data.context.services.events.released(data.args.examId, requireUser(data.context).id, dropper(data.context)),
      ),
  })
  questionsReleased(
    @Root() payload: SittingEventPayload,
    @Ctx() ctx: Context,
    @Arg('examId', () => ID) _examId: string,
  ): Promise<Sitting> {
    return pushedSitting(ctx, payload);
  }

  @Subscription(() => Sitting, {
    description:
      "the calling student's own sitting, pushed whenever it or its exam changes (extra time, a grade, the platform, the recording, its answer saved or sent on another device or tab with the new text and version, …); after the change has committed, to that student only",
    subscribe: async (data: Data) =>
      studentStream(
        data,
        data.context.services.events.mySitting(data.args.examId, requireUser(data.context).id, dropper(data.context)),
      ),
  })
  mySittingChanged(
    @Root() payload: SittingEventPayload,
    @Ctx() ctx: Context,
    @Arg('examId', () => ID) _examId: string,
  ): Promise<Sitting> {
    return pushedSitting(ctx, payload);
  }

  @Subscription(() => Sitting, {
    description: "R2.1, R5.3: staff and the exam's teacher; pushed on presence, ticket, view, save, submit and grade",
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
    @Arg('examId', () => ID) _examId: string,
  ): Promise<Sitting> {
    return pushedSitting(ctx, payload);
  }
}
