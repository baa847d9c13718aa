/**
 * What every subscription of an exam's live pages shares: opening a stream before checking access, a student's page
 * making them present, the subscriber metric, and a push's sittings read once for all its subscribers.
 */
import type { SubscribeResolverData } from 'type-graphql';
import type { EntityManager } from '@mikro-orm/core';
import type { Context } from '../../context';
import { logger } from '../../common/logger';
import { requireUser } from '../../common/auth';
import { NotFoundError } from '../../common/errors';
import { SLOW_CONSUMER_CLOSE_CODE, type SittingBatch, type SittingEventPayload } from '../../common/events';
import { ViewedPushes, type SubscriptionQueue } from '../../common/subscription-queue';
import type { Maybe } from '../../common/loaded';
import { onStreamEnd } from '../presence/with-presence';
import { Sitting } from '../sittings/sitting.entity';
import { readSittings, type SittingsRead } from '../sittings/sittings.read';
import { Role } from '../users/user.entity';
import { ownSittingWithExam, visibleExam } from './exam-access';

export type Data = SubscribeResolverData<unknown, { examId: string }, Context>;

/** closes the subscriber's socket when its queue overflows: the client reconnects and re-reads */
export const dropper = (context: Context) => () =>
  context.closeSocket?.(SLOW_CONSUMER_CLOSE_CODE, 'too far behind: reconnect and re-read');

/**
 * The stream is opened first (no push is missed while access is checked) and closed if the check
 * fails; graphql-ws tells it through the context when each push has been built.
 */
export async function guarded<T>(
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
export async function studentStream<T>(
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
      await sittings.socketJoined(context.em, sitting, new Date()); // presence is written in plain SQL: no fork needed
    } catch (error) {
      left(); // the page counted as open must not stay open forever (a ghost)
      throw error;
    }
    return onStreamEnd(counted(context, ids.exam.id, stream), left);
  });
}

/** Counts the subscription in the per-exam subscribers metric for as long as it lives. */
export function counted<T>(context: Context, examId: string, stream: AsyncIterable<T>): AsyncIterable<T> {
  return onStreamEnd(stream, context.services.metrics.trackSubscriber(examId));
}

/**
 * Passes on, as `as` makes them, only the pushes `keep` accepts (at once when it answers a boolean, after its read when a
 * promise); ending it ends the stream beneath (presence, the queue and its slot). Over a subscriber's queue it is
 * still driven as the queue would be (see ViewedPushes).
 */
export function keepOnly<T, U>(
  stream: AsyncIterable<T>,
  keep: (item: T) => boolean | Promise<boolean>,
  as: (item: T) => U,
  onEnd: () => void,
): AsyncIterableIterator<U> {
  const kept = (item: T, shown: boolean) => (shown ? as(item) : undefined);
  return new ViewedPushes(onStreamEnd(stream, onEnd), (item: T) => {
    const shown = keep(item);
    return typeof shown === 'boolean' ? kept(item, shown) : shown.then((later) => kept(item, later));
  });
}

/** an event's sittings, read once for all its pushes (see SittingBatch) */
type LoadedBatch = SittingsRead;

/** lets the event loop serve sockets between the chunks of a large read (SQLite's answers never leave the microtask queue) */
export const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The event's sittings as plain rows with everything their fields read (sittings.read.ts), and the exam, once, as an
 * entity of `em` (its own fields may read its relations): no entity per sitting and no read per push.
 */
async function readBatch(em: EntityManager, batch: SittingBatch): Promise<LoadedBatch> {
  const sittings = new Map<string, Sitting>();
  for (const sitting of await readSittings(em, batch.examId, { ids: batch.sittingIds }, breathe))
    sittings.set(sitting.id, sitting);
  return { em, sittings };
}

/** the event's sittings: read by the first push built, shared by the others (a failed read is retried by the next) */
async function loadedBatch(ctx: Context, batch: SittingBatch): Promise<LoadedBatch> {
  const loading = (batch.loaded ??= readBatch(ctx.em.fork(), batch)) as Promise<LoadedBatch>;
  try {
    return (batch.ready = await loading);
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
export function pushedSitting(ctx: Context, payload: SittingEventPayload): Maybe<Sitting> {
  if (!payload.batch) {
    ctx.em = ctx.em.fork();
    return ctx.em.findOneOrFail(Sitting, payload.sittingId, { populate: ['exam', 'ticket'] });
  }
  // once the batch is read, the rest of its pushes take their sitting without a promise
  const ready = payload.batch.ready as LoadedBatch | undefined;
  if (ready) return batchSitting(ctx, ready, payload.sittingId);
  return loadedBatch(ctx, payload.batch).then((loaded) => batchSitting(ctx, loaded, payload.sittingId));
}

function batchSitting(ctx: Context, { em, sittings }: LoadedBatch, sittingId: string): Sitting {
  const sitting = sittings.get(sittingId);
  if (!sitting) throw new NotFoundError('The sitting of this push no longer exists; re-read the exam.');
  ctx.em = em;
  return sitting;
}
