import { withErrorCodes } from '../../common/errors';
import { Arg, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { ResyncPayload } from '../../common/events';
import { counted, dropper, guarded, type Data } from './exam-streams';
import { visibleExam } from './exam-access';
import { ExamResync } from './exam.types';

@Resolver()
export class ExamSubscriptionResolver {
  @Subscription(() => ExamResync, {
    description: withErrorCodes(
      "Anyone who may see the exam: pushed when pushes may have been missed (the server's pub/sub link was down and is back); re-read the exam as after a reconnect.",
      'UNAUTHENTICATED',
      'NOT_FOUND',
    ),
    subscribe: async ({ args, context }: Data) =>
      guarded(context, context.services.events.resyncs(args.examId, dropper(context)), async (stream) => {
        const exam = await visibleExam(context, args.examId);
        return counted(context, exam.id, stream);
      }),
  })
  examResync(
    @Root() payload: ResyncPayload,
    @Arg('examId', () => ID, { description: 'The exam (Exam.id).' }) _examId: string,
  ): ExamResync {
    return Object.assign(new ExamResync(), payload);
  }
}
