import { Arg, Ctx, ID, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { Context } from '../../context';
import { logger } from '../../common/logger';
import { requireUser } from '../../common/auth';
import type { EntityManager } from '@mikro-orm/core';
import { ForbiddenError, NotFoundError } from '../../common/errors';
import {
  SLOW_CONSUMER_CLOSE_CODE,
  type BoardEventPayload,
  type ResyncPayload,
  type SittingBatch,
  type SittingEventPayload,
} from '../../common/events';
import type { SubscriptionQueue } from '../../common/subscription-queue';
import { SharedPush } from '../../common/shared-push';
import { onStreamEnd } from '../presence/with-presence';
import { Sitting } from '../sittings/sitting.entity';
import { TicketTile } from '../tickets/ticket.entity';
import { mayChooseTicket, tileOrder } from './exam-rules';
import type { Exam } from './exam.entity';
import { ExamResync } from './exam.types';
import { Role } from '../users/user.entity';
import { ownSittingWithExam, visibleExam } from './exam-access';
import { canSeeEverySitting } from '../../policy/sitting.policy';

type Data = SubscribeResolverData<unknown, { examId: string }, Context>;

/** closes the subscriber's socket when its queue overflows: the client reconnects and re-reads */
const dropper = (context: Context) => () =>
  context.closeSocket?.(SLOW_CONSUMER_CLOSE_CODE, 'too far behind: reconnect and re-read');

/**
 * The stream is opened first (no push is missed while access is checked) and closed if the check
 * fails; graphql-ws tells it through the context when each push has been built.
 */
async function guarded<T>(
  context: Context,
  stream: SubscriptionQueue<T>,
  open: (stream: SubscriptionQueue<T>) => Promise<AsyncIterable<T>>,
): Promise<AsyncIterable<T>> {
  context.pushBuilt = () => {
    stream.pushBuilt();
    context.idle?.(); // the push's reads (perhaps an event's shared batch) are not kept until the next one
  };
  try {
    const opened = await open(stream);
    context.idle?.(); // nor what the subscribe step read: a subscription lives for hours
    return opened;
  } catch (error) {
    await stream.return?.();
    throw error;
  }
}

/** A student's exam page holds these; holding one makes the student online at the exam (R2.1). */
async function studentStream<T>(
  data: Data,
  stream: SubscriptionQueue<T>,
  opened?: (sitting: Sitting) => void,
): Promise<AsyncIterable<T>> {
  const { args, context } = data;
  return guarded(context, stream, async () => {
    const user = requireUser(context);
    if (user.role !== Role.STUDENT) return counted(context, (await visibleExam(context, args.examId)).id, stream);
    // the student's own sitting and its exam in one query: it is what makes the exam visible to them
    const sitting = await ownSittingWithExam(context, args.examId);
    opened?.(sitting);
    const { sittings } = context.services;
    // the ids alone are kept for as long as the stream lives
    const ids = { id: sitting.id, exam: { id: sitting.exam.id }, student: { id: sitting.student.id } };
    const left = () => {
      context.services.inFlight.add(
        sittings
          .socketLeft(context.em.fork(), ids, new Date())
          .catch((error) => logger.error({ err: error }, 'presence: could not record leaving')),
      );
    };
    try {
      await sittings.socketJoined(context.em.fork(), sitting, new Date());
    } catch (error) {
      left(); // the page counted as open must not stay open forever (a ghost)
      throw error;
    }
    return onStreamEnd(counted(context, ids.exam.id, stream), left);
  });
}

/** Counts the subscription in the per-exam subscribers metric for as long as it lives. */
function counted<T>(context: Context, examId: string, stream: AsyncIterable<T>): AsyncIterable<T> {
  return onStreamEnd(stream, context.services.metrics.trackSubscriber(examId));
}

/** Passes on, as `as` makes them, only the pushes `keep` accepts; ending it ends the stream beneath (presence, the queue and its slot). */
function keepOnly<T, U>(
  stream: AsyncIterable<T>,
  keep: (item: T) => Promise<boolean>,
  as: (item: T) => U,
  onEnd: () => void,
): AsyncIterableIterator<U> {
  const inner = onStreamEnd(stream, onEnd);
  return {
    async next() {
      for (;;) {
        // the queue frees a skipped push's slot on the next pull
        const step = await inner.next();
        if (step.done) return step;
        if (await keep(step.value)) return { value: as(step.value), done: false };
      }
    },
    return: async () => {
      await inner.return!();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** an event's sittings, read once for all its pushes (see SittingBatch) */
interface LoadedBatch {
  em: EntityManager;
  sittings: Map<string, Sitting>;
}

/**
 * ids per query: far below SQLite's and PostgreSQL's limits on bound parameters, and few enough that building their
 * entities holds the event loop for tens of milliseconds, not hundreds (SQLite answers at once: see `breathe`)
 */
const BATCH_IDS_A_QUERY = 250;

/** lets the event loop serve sockets between the chunks of a large read (SQLite's answers never leave the microtask queue) */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

/** what the pushed fields read, for every audience (the student's page, staff's room): so no field reads per push */
const PUSHED_RELATIONS = ['exam', 'ticket', 'student', 'answer', 'gradedBy'] as const;

async function readBatch(em: EntityManager, batch: SittingBatch): Promise<LoadedBatch> {
  const sittings = new Map<string, Sitting>();
  for (let i = 0; i < batch.sittingIds.length; i += BATCH_IDS_A_QUERY) {
    const ids = batch.sittingIds.slice(i, i + BATCH_IDS_A_QUERY);
    if (i > 0) await breathe();
    for (const sitting of await em.find(
      Sitting,
      { id: { $in: ids }, exam: batch.examId },
      { populate: PUSHED_RELATIONS as never },
    ))
      sittings.set(sitting.id, sitting);
  }
  return { em, sittings };
}

/** the event's sittings: read by the first push built, shared by the others (a failed read is retried by the next) */
async function loadedBatch(ctx: Context, batch: SittingBatch): Promise<LoadedBatch> {
  const loading = (batch.loaded ??= readBatch(ctx.em.fork(), batch)) as Promise<LoadedBatch>;
  try {
    return await loading;
  } catch (error) {
    if (batch.loaded === loading) batch.loaded = undefined;
    throw error;
  }
}

/**
 * The sitting a push is about, read afresh for the event (shared with its other pushes) with what the pushed fields
 * read. The operation's EntityManager becomes the batch's, so those fields find their relations loaded; their
 * visibility rules still run for each viewer.
 */
async function pushedSitting(ctx: Context, payload: SittingEventPayload): Promise<Sitting> {
  if (!payload.batch) {
    ctx.em = ctx.em.fork();
    return ctx.em.findOneOrFail(Sitting, payload.sittingId, { populate: ['exam', 'ticket'] });
  }
  const { em, sittings } = await loadedBatch(ctx, payload.batch);
  const sitting = sittings.get(payload.sittingId);
  if (!sitting) throw new NotFoundError('The sitting of this push no longer exists; re-read the exam.');
  ctx.em = em;
  return sitting;
}

/**
 * One student's ticket board subscription. Whether a push reaches them follows the ticketBoard field: only while they
 * may choose. What that depends on (the exam's mode and times, their ticket and extra time) is read when the
 * subscription opens and kept current from their own sitting's events — every change of the sitting or its exam
 * publishes one (ExamService.announce) — so a push reads nothing per subscriber: the viewers whose sitting changed
 * are re-read together (StaleViewers). The tiles' order for this student is kept while the set of tiles stays the same.
 */
class BoardViewer {
  private exam!: Pick<Exam, 'format' | 'ticketAssignment' | 'startsAt' | 'endsAt'>;
  private sitting!: { ticket: boolean; endsAtOverride?: Date | null };
  /** sitting changes heard, and how many of them the state above reflects */
  version = 0;
  seen = 0;
  sittingId?: string;
  private order?: { tiles: readonly TicketTile[]; order: Uint32Array };
  stopWatching = () => {};

  constructor(
    readonly studentId: string,
    private readonly stale: StaleViewers,
  ) {}

  remember(sitting: Sitting | null): void {
    this.sittingId = sitting?.id;
    if (!sitting) return;
    const { format, ticketAssignment, startsAt, endsAt } = sitting.exam;
    this.exam = { format, ticketAssignment, startsAt, endsAt };
    this.sitting = { ticket: !!sitting.ticket, endsAtOverride: sitting.endsAtOverride };
  }

  sittingChanged = (): void => {
    this.version++;
    this.stale.add(this);
  };

  stop(): void {
    this.stopWatching();
    this.stale.delete(this);
  }

  async shown(ctx: Context): Promise<boolean> {
    try {
      // a change heard while a re-read is under way is caught by the next one
      for (let tries = 0; this.seen < this.version && tries < 3; tries++) await this.stale.reread(ctx);
    } catch (error) {
      logger.warn({ err: error }, 'ticket board: could not re-read changed sittings; the push is skipped');
      return false;
    }
    return (
      !!this.sittingId && this.seen === this.version && mayChooseTicket(this.exam, this.sitting, ctx.services.now())
    );
  }

  /** where each tile goes in this student's order (R4.2), each key computed once while the tiles stay the same */
  orderOf(tiles: readonly TicketTile[]): Uint32Array {
    const cached = this.order;
    if (!cached || cached.tiles.length !== tiles.length || cached.tiles.some((t, i) => t.id !== tiles[i].id)) {
      this.order = {
        tiles,
        order: tileOrder(
          this.studentId,
          tiles.map((t) => t.id),
        ),
      };
    } else {
      cached.tiles = tiles;
    }
    return this.order!.order;
  }

  /**
   * This student's push of a board change: the board is executed once for every viewer (the tiles' fields are the
   * same for all), then its tiles are put in this student's order.
   */
  push(event: BoardEventPayload): SharedPush<BoardEventPayload> {
    return new SharedPush(event, async (result) => {
      const field = result.data && Object.keys(result.data)[0];
      const shared = field ? result.data![field] : null;
      if (!Array.isArray(shared)) return result;
      const order = this.orderOf(await boardTiles(event));
      return { ...result, data: { [field!]: Array.from(order, (i) => shared[i]) } };
    });
  }
}

/**
 * The board viewers of one exam whose sitting changed since it was read: the first push that needs one re-reads them
 * all, in one query (per 1,000), so the fan-out after N students opened their pages reads a bounded number of times.
 */
class StaleViewers {
  private readonly viewers = new Set<BoardViewer>();
  private reading?: Promise<void>;

  add(viewer: BoardViewer): void {
    this.viewers.add(viewer);
  }

  delete(viewer: BoardViewer): void {
    this.viewers.delete(viewer);
  }

  reread(ctx: Context): Promise<void> {
    return (this.reading ??= this.read(ctx.em.fork()).finally(() => (this.reading = undefined)));
  }

  private async read(em: EntityManager): Promise<void> {
    const viewers = [...this.viewers].map((viewer) => ({ viewer, version: viewer.version }));
    this.viewers.clear();
    try {
      const ids = viewers.flatMap(({ viewer }) => (viewer.sittingId ? [viewer.sittingId] : []));
      const sittings = new Map<string, Sitting>();
      for (let i = 0; i < ids.length; i += BATCH_IDS_A_QUERY) {
        if (i > 0) await breathe();
        for (const sitting of await em.find(
          Sitting,
          { id: { $in: ids.slice(i, i + BATCH_IDS_A_QUERY) } },
          { populate: ['exam'] },
        ))
          sittings.set(sitting.id, sitting);
      }
      for (const { viewer, version } of viewers) {
        viewer.remember(viewer.sittingId ? (sittings.get(viewer.sittingId) ?? null) : null);
        viewer.seen = Math.max(viewer.seen, version);
      }
    } catch (error) {
      for (const { viewer } of viewers) this.viewers.add(viewer);
      throw error;
    }
  }
}

/** per server (its services), per exam */
const staleViewers = new WeakMap<object, Map<string, StaleViewers>>();
function staleViewersOf(ctx: Context, examId: string): StaleViewers {
  let exams = staleViewers.get(ctx.services);
  if (!exams) staleViewers.set(ctx.services, (exams = new Map()));
  let stale = exams.get(examId);
  if (!stale) exams.set(examId, (stale = new StaleViewers()));
  return stale;
}

/** the tiles of a board change, read once for every viewer (a failed read is retried by the next push) */
function boardTiles(event: BoardEventPayload, ctx?: Context): Promise<TicketTile[]> {
  if (!event.tiles) {
    if (!ctx) throw new Error('the board change has not been read');
    event.tiles = ctx.services.tickets.tiles(ctx.em.fork(), event.examId);
  }
  const reading = event.tiles;
  return reading.catch((error) => {
    if (event.tiles === reading) event.tiles = undefined;
    throw error;
  });
}

@Resolver()
export class ExamSubscriptionResolver {
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
      "the calling student's own sitting, pushed whenever it or its exam changes (extra time, a grade, the platform, the recording, …)",
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

  @Subscription(() => [TicketTile], {
    description:
      'R4.2: the board, pushed whenever a ticket is taken or tickets change, to a student while the ticketBoard field would show it',
    subscribe: async (data: Data) => {
      const user = requireUser(data.context);
      if (user.role !== Role.STUDENT)
        throw new ForbiddenError(
          'The ticket board is shown to students choosing a ticket; staff and teachers follow sittingChanged.',
        );
      const { events } = data.context.services;
      const viewer = new BoardViewer(user.id, staleViewersOf(data.context, data.args.examId));
      // watched before the sitting is read, so no change is missed in between
      viewer.stopWatching = events.watchSitting(data.args.examId, user.id, viewer.sittingChanged);
      const heard = viewer.version; // a change heard while the sitting is read may not be in what is read
      try {
        const stream = await studentStream(data, events.board(data.args.examId, dropper(data.context)), (sitting) => {
          viewer.remember(sitting);
          viewer.seen = heard;
        });
        return keepOnly(
          stream,
          () => viewer.shown(data.context),
          (event) => viewer.push(event),
          () => viewer.stop(),
        );
      } catch (error) {
        viewer.stop();
        throw error;
      }
    },
  })
  ticketBoardChanged(
    @Root() payload: BoardEventPayload,
    @Ctx() ctx: Context,
    @Arg('examId', () => ID) _examId: string,
  ): Promise<TicketTile[]> {
    // executed once per change for every viewer of the exam (BoardViewer.push): the tiles, in the viewer's order after
    return boardTiles(payload, ctx);
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

  @Subscription(() => ExamResync, {
    description:
      'anyone who may see the exam; pushed when pushes may have been missed (after a pub/sub outage): re-read the exam as after a reconnect',
    subscribe: async ({ args, context }: Data) =>
      guarded(context, context.services.events.resyncs(args.examId, dropper(context)), async (stream) => {
        const exam = await visibleExam(context, args.examId);
        return counted(context, exam.id, stream);
      }),
  })
  examResync(@Root() payload: ResyncPayload, @Arg('examId', () => ID) _examId: string): ExamResync {
    return Object.assign(new ExamResync(), payload);
  }
}
