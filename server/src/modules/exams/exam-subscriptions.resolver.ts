import { filter } from '@graphql-yoga/subscription';
import { Arg, Ctx, ID, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { Context } from '../../context';
import { logger } from '../../common/logger';
import { requireUser } from '../../common/auth';
import { ForbiddenError } from '../../common/errors';
import type { BoardEventPayload, SittingEventPayload } from '../../common/events';
import { onStreamEnd } from '../presence/with-presence';
import { Sitting } from '../sittings/sitting.entity';
import { TicketTile } from '../tickets/ticket.entity';
import { mayChooseTicket, tileOrderKey } from './exam-rules';
import { Role } from '../users/user.entity';
import { manages, visibleExam } from './exam-access';

type Data = SubscribeResolverData<unknown, { examId: string }, Context>;

/** A student's exam page holds these; holding one makes the student online at the exam (R2.1). */
async function studentStream<T>({ args, context }: Data, stream: AsyncIterable<T>): Promise<AsyncIterable<T>> {
  const exam = await visibleExam(context, args.examId);
  const user = requireUser(context);
  if (user.role !== Role.STUDENT) return counted(context, exam.id, stream);
  const { sittings } = context.services;
  const em = context.em.fork();
  const sitting = await em.findOneOrFail(Sitting, { exam: exam.id, student: user.id });
  await sittings.socketJoined(em, sitting, new Date());
  return onStreamEnd(counted(context, exam.id, stream), () => {
    const later = context.em.fork();
    context.services.inFlight.add(later.findOneOrFail(Sitting, sitting.id)
      .then((s) => sittings.socketLeft(later, s, new Date()))
      .catch((error) => logger.error({ err: error }, 'presence: could not record leaving')));
  });
}

/** Counts the subscription in the per-exam subscribers metric for as long as it lives. */
function counted<T>(context: Context, examId: string, stream: AsyncIterable<T>): AsyncIterable<T> {
  return onStreamEnd(stream, context.services.metrics.trackSubscriber(examId));
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

@Resolver()
export class ExamSubscriptionResolver {
  @Subscription(() => Sitting, {
    description: 'R5.3: the calling student\'s own sitting, pushed when staff release their questions',
    subscribe: async (data: Data) => {
      const user = requireUser(data.context);
      const stream = data.context.services.events.subscribe('QUESTIONS_RELEASED', data.args.examId);
      return studentStream(data, filter((p: SittingEventPayload) => p.studentId === user.id)(stream));
    },
  })
  questionsReleased(@Root() payload: SittingEventPayload, @Ctx() ctx: Context, @Arg('examId', () => ID) _examId: string): Promise<Sitting> {
    return freshRead(ctx).findOneOrFail(Sitting, payload.sittingId);
  }

  @Subscription(() => Sitting, {
    description: 'the calling student\'s own sitting, pushed whenever it or its exam changes (extra time, a grade, the platform, the recording, …)',
    subscribe: async (data: Data) => {
      const user = requireUser(data.context);
      const stream = data.context.services.events.subscribe('SITTING_CHANGED', data.args.examId);
      return studentStream(data, filter((p: SittingEventPayload) => p.studentId === user.id)(stream));
    },
  })
  mySittingChanged(@Root() payload: SittingEventPayload, @Ctx() ctx: Context, @Arg('examId', () => ID) _examId: string): Promise<Sitting> {
    return freshRead(ctx).findOneOrFail(Sitting, payload.sittingId);
  }

  @Subscription(() => [TicketTile], {
    description: 'R4.2: the board, pushed whenever a ticket is taken or tickets change, to a student while the ticketBoard field would show it',
    subscribe: async (data: Data) => {
      const user = requireUser(data.context);
      if (user.role !== Role.STUDENT) throw new ForbiddenError('The ticket board is shown to students choosing a ticket; staff and teachers follow sittingChanged.');
      const stream = data.context.services.events.subscribe('TICKET_BOARD_CHANGED', data.args.examId);
      return studentStream(data, filter(boardShownTo(data.context, data.args.examId, user.id))(stream));
    },
  })
  async ticketBoardChanged(@Root() payload: BoardEventPayload, @Ctx() ctx: Context, @Arg('examId', () => ID) _examId: string): Promise<TicketTile[]> {
    const tiles = await ctx.services.tickets.tiles(freshRead(ctx), payload.examId);
    const viewer = ctx.user!;
    if (viewer.role !== Role.STUDENT) return tiles;
    return tiles.sort((a, b) => tileOrderKey(viewer.id, a.id).localeCompare(tileOrderKey(viewer.id, b.id)));
  }

  @Subscription(() => Sitting, {
    description: 'R2.1, R5.3: staff and the exam\'s teacher; pushed on presence, ticket, view, save, submit and grade',
    subscribe: async ({ args, context }: Data) => {
      const exam = await visibleExam(context, args.examId);
      if (!manages(context.user, exam)) throw new ForbiddenError('Only staff and the exam\'s teacher follow every sitting.');
      return counted(context, exam.id, context.services.events.subscribe('SITTING_CHANGED', args.examId));
    },
  })
  sittingChanged(@Root() payload: SittingEventPayload, @Ctx() ctx: Context, @Arg('examId', () => ID) _examId: string): Promise<Sitting> {
    return freshRead(ctx).findOneOrFail(Sitting, payload.sittingId);
  }
}
