import { Arg, Ctx, ID, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { Context } from '../../context';
import { logger } from '../../common/logger';
import { requireUser } from '../../common/auth';
import { ForbiddenError } from '../../common/errors';
import { SLOW_CONSUMER_CLOSE_CODE, type BoardEventPayload, type ResyncPayload, type SittingEventPayload } from '../../common/events';
import type { SubscriptionQueue } from '../../common/subscription-queue';
import { onStreamEnd } from '../presence/with-presence';
import { Sitting } from '../sittings/sitting.entity';
import { TicketTile } from '../tickets/ticket.entity';
import { mayChooseTicket, tileOrderKey } from './exam-rules';
import { ExamResync } from './exam.types';
import { Role } from '../users/user.entity';
import { manages, visibleExam } from './exam-access';

type Data = SubscribeResolverData<unknown, { examId: string }, Context>;

/** closes the subscriber's socket when its queue overflows: the client reconnects and re-reads */
const dropper = (context: Context) => () => context.closeSocket?.(SLOW_CONSUMER_CLOSE_CODE, 'too far behind: reconnect and re-read');

/**
 * The stream is opened first (no push is missed while access is checked) and closed if the check
 * fails; graphql-ws tells it through the context when each push has been built.
 */
async function guarded<T>(context: Context, stream: SubscriptionQueue<T>, open: (stream: SubscriptionQueue<T>) => Promise<AsyncIterable<T>>): Promise<AsyncIterable<T>> {
  context.pushBuilt = () => stream.pushBuilt();
  try {
    return await open(stream);
  } catch (error) {
    await stream.return?.();
    throw error;
  }
}

/** A student's exam page holds these; holding one makes the student online at the exam (R2.1). */
async function studentStream<T>({ args, context }: Data, stream: SubscriptionQueue<T>): Promise<AsyncIterable<T>> {
  return guarded(context, stream, async () => {
    const exam = await visibleExam(context, args.examId);
    const user = requireUser(context);
    if (user.role !== Role.STUDENT) return counted(context, exam.id, stream);
    const { sittings } = context.services;
    const em = context.em.fork();
    const sitting = await em.findOneOrFail(Sitting, { exam: exam.id, student: user.id });
    const left = () => {
      const later = context.em.fork();
      context.services.inFlight.add(later.findOneOrFail(Sitting, sitting.id)
        .then((s) => sittings.socketLeft(later, s, new Date()))
        .catch((error) => logger.error({ err: error }, 'presence: could not record leaving')));
    };
    try {
      await sittings.socketJoined(em, sitting, new Date());
    } catch (error) {
      left(); // the page counted as open must not stay open forever (a ghost)
      throw error;
    }
    return onStreamEnd(counted(context, exam.id, stream), left);
  });
}

/** Counts the subscription in the per-exam subscribers metric for as long as it lives. */
function counted<T>(context: Context, examId: string, stream: AsyncIterable<T>): AsyncIterable<T> {
  return onStreamEnd(stream, context.services.metrics.trackSubscriber(examId));
}

/** Passes on only the pushes `keep` accepts; ending it ends the stream beneath (presence, the queue and its slot). */
function keepOnly<T>(stream: AsyncIterable<T>, keep: (item: T) => Promise<boolean>): AsyncIterableIterator<T> {
  const inner = stream[Symbol.asyncIterator]();
  return {
    async next() {
      for (;;) {
        // the queue frees a skipped push's slot on the next pull
        const step = await inner.next();
        if (step.done || (await keep(step.value))) return step;
      }
    },
    return: () => inner.return?.() ?? Promise.resolve({ value: undefined, done: true }),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/**
 * Whether a board push reaches this student: as the ticketBoard field, only while they may choose (read afresh at each
 * push, since the exam may change). The subscription itself is kept either way: it holds the student's presence.
 */
function boardShownTo(context: Context, examId: string, studentId: string) {
  let holdsTicket = false; // a ticket once held is held for good, so no more reads are needed
  return async (): Promise<boolean> => {
    if (holdsTicket) return false;
    try {
      const sitting = await context.em.fork().findOne(Sitting, { exam: examId, student: studentId }, { populate: ['exam'] });
      if (!sitting) return false;
      holdsTicket = !!sitting.ticket;
      return mayChooseTicket(sitting.exam, sitting, context.services.now());
    } catch (error) {
      logger.warn({ err: error, examId }, 'ticket board: could not check a subscriber; the push is skipped');
      return false;
    }
  };
}

/** Each pushed event is read afresh: the operation's EntityManager is replaced so no stale row is served. */
function freshRead(ctx: Context) {
  ctx.em = ctx.em.fork();
  return ctx.em;
}

/** the student's own sitting for a push, with what its page's fields read (exam, ticket) in the same query */
function ownSitting(ctx: Context, payload: SittingEventPayload): Promise<Sitting> {
  return freshRead(ctx).findOneOrFail(Sitting, payload.sittingId, { populate: ['exam', 'ticket'] });
}

@Resolver()
export class ExamSubscriptionResolver {
  @Subscription(() => Sitting, {
    description: 'R5.3: the calling student\'s own sitting, pushed when staff release their questions',
    subscribe: async (data: Data) => studentStream(data, data.context.services.events.released(data.args.examId, requireUser(data.context).id, dropper(data.context))),
  })
  questionsReleased(@Root() payload: SittingEventPayload, @Ctx() ctx: Context, @Arg('examId', () => ID) _examId: string): Promise<Sitting> {
    return ownSitting(ctx, payload);
  }

  @Subscription(() => Sitting, {
    description: 'the calling student\'s own sitting, pushed whenever it or its exam changes (extra time, a grade, the platform, the recording, …)',
    subscribe: async (data: Data) => studentStream(data, data.context.services.events.mySitting(data.args.examId, requireUser(data.context).id, dropper(data.context))),
  })
  mySittingChanged(@Root() payload: SittingEventPayload, @Ctx() ctx: Context, @Arg('examId', () => ID) _examId: string): Promise<Sitting> {
    return ownSitting(ctx, payload);
  }

  @Subscription(() => [TicketTile], {
    description: 'R4.2: the board, pushed whenever a ticket is taken or tickets change, to a student while the ticketBoard field would show it',
    subscribe: async (data: Data) => {
      const user = requireUser(data.context);
      if (user.role !== Role.STUDENT) throw new ForbiddenError('The ticket board is shown to students choosing a ticket; staff and teachers follow sittingChanged.');
      const stream = await studentStream(data, data.context.services.events.board(data.args.examId, dropper(data.context)));
      return keepOnly(stream, boardShownTo(data.context, data.args.examId, user.id));
    },
  })
  async ticketBoardChanged(@Root() payload: BoardEventPayload, @Ctx() ctx: Context, @Arg('examId', () => ID) _examId: string): Promise<TicketTile[]> {
    // read once per change for every subscriber of the exam (the tiles do not depend on the viewer, only their order)
    payload.tiles ??= ctx.services.tickets.tiles(ctx.em.fork(), payload.examId);
    const tiles = await payload.tiles.catch((error) => {
      payload.tiles = undefined;
      throw error;
    });
    const viewer = ctx.user!;
    if (viewer.role !== Role.STUDENT) return tiles;
    return [...tiles].sort((a, b) => tileOrderKey(viewer.id, a.id).localeCompare(tileOrderKey(viewer.id, b.id)));
  }

  @Subscription(() => Sitting, {
    description: 'R2.1, R5.3: staff and the exam\'s teacher; pushed on presence, ticket, view, save, submit and grade',
    subscribe: async ({ args, context }: Data) => guarded(context, context.services.events.sittings(args.examId, dropper(context)), async (stream) => {
      const exam = await visibleExam(context, args.examId);
      if (!manages(context.user, exam)) throw new ForbiddenError('Only staff and the exam\'s teacher follow every sitting.');
      return counted(context, exam.id, stream);
    }),
  })
  sittingChanged(@Root() payload: SittingEventPayload, @Ctx() ctx: Context, @Arg('examId', () => ID) _examId: string): Promise<Sitting> {
    return freshRead(ctx).findOneOrFail(Sitting, payload.sittingId);
  }

  @Subscription(() => ExamResync, {
    description: 'anyone who may see the exam; pushed when pushes may have been missed (after a pub/sub outage): re-read the exam as after a reconnect',
    subscribe: async ({ args, context }: Data) => guarded(context, context.services.events.resyncs(args.examId, dropper(context)), async (stream) => {
      const exam = await visibleExam(context, args.examId);
      return counted(context, exam.id, stream);
    }),
  })
  examResync(@Root() payload: ResyncPayload, @Arg('examId', () => ID) _examId: string): ExamResync {
    return Object.assign(new ExamResync(), payload);
  }
}
