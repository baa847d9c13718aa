import { randomUUID } from 'node:crypto';
import { logger } from './logger';
import type { Metrics } from './metrics';
import type { RedisConnections } from './redis';
import { PushSlots, SubscriptionQueue } from './subscription-queue';
import type { TicketTile } from '../modules/tickets/ticket.entity';

/** What travels on an exam's topics: ids only, so every subscriber reads fresh, permission-checked data. */
export interface SittingEventPayload {
  examId: string;
  sittingId: string;
  studentId: string;
  /** only the student's presence changed (online, entered, last seen): nothing a ticket board viewer keeps */
  presence?: boolean;
  /** on delivery: the event's sittings, read once (on the first push built) for every subscriber the event reaches */
  batch?: SittingBatch;
}

/**
 * The sittings one event changed, shared by all its pushes: the first push to be built reads them all
 * in one query (`loaded`, filled by the subscription resolvers), so a release to N students reads the
 * database a bounded number of times, not N. Each push still runs its own fields' visibility rules.
 */
export class SittingBatch {
  loaded?: Promise<unknown>;
  /** what `loaded` resolved to, once it has: the pushes built after it take it without a promise each */
  ready?: unknown;
  constructor(
    readonly examId: string,
    readonly sittingIds: readonly string[],
  ) {}
}
/** One per board change, shared by every subscriber: the tiles are read once for all of them. */
export interface BoardEventPayload {
  examId: string;
  tiles?: Promise<TicketTile[]>;
  /** what `tiles` resolved to, once it has */
  read?: TicketTile[];
}
/** Pushes may have been missed (the pub/sub link was down): re-read the exam. */
export interface ResyncPayload {
  examId: string;
  at: Date;
}

/** An appeal was filed, given a commission or decided: to staff, and to the commission's members. */
export interface AppealEventPayload {
  examId: string;
  appealId: string;
  /** the teachers on its commission (after the change), who hear it on their own topic */
  commissionIds: string[];
}

/** What one publish carries, in-process and over Redis alike; a batch is one message however many sittings. */
type ExamEvent =
  | { kind: 'sittings'; examId: string; changes: SittingEventPayload[]; released: boolean }
  | ({ kind: 'appeal' } & AppealEventPayload)
  | { kind: 'board'; examId: string }
  | { kind: 'resync'; examIds: string[] | null };

/** what a topic delivers to: a subscriber's bounded queue, or a watcher that only keeps state */
type Subscriber = Pick<SubscriptionQueue<unknown>, 'push' | 'pushMany' | 'depth'>;

/** the Redis channel every instance listens on (one channel: an instance drops what none of its sockets follows) */
/** the Redis channel of exam events: instances of one deployment share it, other deployments (REDIS_KEY_PREFIX) do not */
export const eventsChannel = (prefix: string) => `${prefix}:exam-events`;
/** close code for a socket whose subscriber fell `SUBSCRIPTION_QUEUE_MAX` pushes behind: "try again later", so clients reconnect */
export const SLOW_CONSUMER_CLOSE_CODE = 1013;
/** beyond this many exams missed during an outage, the resync goes to every exam */
const MISSED_EXAMS_MAX = 1_000;

/**
 * A topic: its scope (a kind of stream and an exam, or the appeals' audience) and its member (the student of a
 * student's own streams, else ''). Two keys, not one name: an event to thousands of students looks their topics up by
 * the student ids it carries, each a string whose hash is kept, in the scope's map found once, rather than building
 * and hashing a new `kind:exam:student` string twice a student (most of a 5,000-student delivery).
 */
type Topic = readonly [scope: string, member: string];
const EVERYONE = '';

const scope = {
  mySitting: (examId: string) => `S:${examId}`,
  released: (examId: string) => `R:${examId}`,
};
const topic = {
  mySitting: (examId: string, studentId: string): Topic => [scope.mySitting(examId), studentId],
  released: (examId: string, studentId: string): Topic => [scope.released(examId), studentId],
  sittings: (examId: string): Topic => [`A:${examId}`, EVERYONE],
  board: (examId: string): Topic => [`B:${examId}`, EVERYONE],
  resync: (examId: string): Topic => [`X:${examId}`, EVERYONE],
  /** appeals: `staff` hears every one, a teacher those of the commissions they sit on */
  appeals: (audience: string): Topic => [`P:${audience}`, EVERYONE],
};
/** the scope of the resync topics (see `topic.resync`) */
const RESYNC_SCOPE = 'X:';

/** the audience of the appeals topic every staff member follows */
export const STAFF_APPEALS = 'staff';

/**
 * Pub/sub with a topic per audience: a student's own streams per exam and student, staff's per
 * exam, so a release to N students costs N deliveries, not N². Each subscriber has its own bounded
 * queue (see SubscriptionQueue). Callers publish only after the write has committed.
 *
 * With Redis every event is delivered here at once and published for the other instances; a publish
 * that fails (Redis down) is remembered by exam, and when Redis returns `recover()` tells every
 * instance's subscribers of those exams to re-read (`examResync`). Publishing never throws.
 */
export class ExamEvents {
  /** subscribers by topic: scope, then member (see Topic) */
  private readonly topics = new Map<string, Map<string, Set<Subscriber>>>();
  private readonly instance = randomUUID();
  private readonly channel: string;
  private readonly missed = new Set<string>();
  private missedAll = false;
  private readonly slots: PushSlots;

  constructor(
    private readonly queueMax: number,
    pushConcurrency: number,
    private readonly metrics: Metrics,
    private readonly redis?: RedisConnections,
    /** REDIS_KEY_PREFIX: names the events channel */
    redisKeyPrefix = 'attestation',
  ) {
    this.channel = eventsChannel(redisKeyPrefix);
    this.slots = new PushSlots(pushConcurrency);
    metrics.observeSubscriptionQueues(() => this.queues());
    redis?.subscribe.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.received(message);
    });
  }

  // ---- publishing (services call these after commit) ----

  sittingChanged(payload: SittingEventPayload): void {
    this.publish({ kind: 'sittings', examId: payload.examId, changes: [payload], released: false });
  }

  /** many sittings of one exam at once (a release, an exam change): one message, one entry in staff's queues */
  sittingsChanged(examId: string, changes: SittingEventPayload[]): void {
    if (changes.length) this.publish({ kind: 'sittings', examId, changes, released: false });
  }

  /**
   * R5.3: each student's questionsReleased and mySittingChanged, and staff's sittingChanged. `read`: the sittings as
   * the releaser has just read them after the commit (SittingBatch.loaded), for this instance's pushes; the other
   * instances read them themselves.
   */
  questionsReleased(examId: string, changes: SittingEventPayload[], read?: unknown): void {
    if (changes.length) this.publish({ kind: 'sittings', examId, changes, released: true }, read);
  }

  /** an appeal was filed, its commission formed or it was decided: staff and the commission hear it */
  appealChanged(payload: AppealEventPayload): void {
    this.publish({ kind: 'appeal', ...payload });
  }

  ticketBoardChanged(examId: string): void {
    this.publish({ kind: 'board', examId });
  }

  // ---- subscribing (each returns the subscriber's own bounded queue; `drop` closes its socket on overflow) ----

  mySitting(examId: string, studentId: string, drop: () => void): SubscriptionQueue<SittingEventPayload> {
    return this.listen(topic.mySitting(examId, studentId), drop);
  }

  released(examId: string, studentId: string, drop: () => void): SubscriptionQueue<SittingEventPayload> {
    return this.listen(topic.released(examId, studentId), drop);
  }

  /**
   * Staff's room: each push is the latest state of its sitting, so the queue coalesces by sitting (SubscriptionQueue's
   * `latestOf`): a change of a sitting whose push is still pending replaces it, and the room holds at most one push
   * per sitting of the exam, the newest, however many changes a burst makes.
   */
  sittings(examId: string, drop: () => void): SubscriptionQueue<SittingEventPayload> {
    return this.listen(topic.sittings(examId), drop, (change: SittingEventPayload) => change.sittingId);
  }

  board(examId: string, drop: () => void): SubscriptionQueue<BoardEventPayload> {
    return this.listen(topic.board(examId), drop);
  }

  /** `STAFF_APPEALS` for staff, or a teacher's id for the appeals of the commissions they sit on */
  appeals(audience: string, drop: () => void): SubscriptionQueue<AppealEventPayload> {
    return this.listen(topic.appeals(audience), drop);
  }

  resyncs(examId: string, drop: () => void): SubscriptionQueue<ResyncPayload> {
    return this.listen(topic.resync(examId), drop);
  }

  /**
   * Calls `onChange` (synchronously, at delivery) with each change of one student's own sitting at an exam, as
   * `mySitting` would push it, without a queue: for state a subscription keeps. Returns the way to stop.
   */
  watchSitting(examId: string, studentId: string, onChange: (change: SittingEventPayload) => void): () => void {
    const name = topic.mySitting(examId, studentId);
    const watcher: Subscriber = {
      depth: 0,
      push: (change) => onChange(change as SittingEventPayload),
      pushMany: (changes) => changes.forEach((c) => onChange(c as SittingEventPayload)),
    };
    return this.join(name, watcher);
  }

  // ---- after an outage ----

  /**
   * Redis is back (this instance may have missed messages, others may have missed ours): this
   * instance's subscribers re-read, and so do every instance's subscribers of the exams whose
   * pushes failed here or whose presence this instance has just rebuilt (`alsoExams`).
   */
  async recover(alsoExams: Iterable<string>): Promise<void> {
    const examIds = this.missedAll ? null : [...new Set([...this.missed, ...alsoExams])];
    this.missed.clear();
    this.missedAll = false;
    this.deliver({ kind: 'resync', examIds: null });
    if (examIds && examIds.length === 0) return;
    await this.redis!.publish.publish(
      this.channel,
      JSON.stringify({ from: this.instance, event: { kind: 'resync', examIds } }),
    );
  }

  // ---- internals ----

  /** `latestOf`: a coalescing queue (see SubscriptionQueue), for topics whose pushes are each an item's latest state */
  private listen<T>(name: Topic, drop: () => void, latestOf?: (push: T) => string): SubscriptionQueue<T> {
    let leave = () => {};
    const queue: SubscriptionQueue<T> = new SubscriptionQueue<T>(
      this.queueMax,
      () => {
        this.metrics.droppedSubscribers.inc();
        logger.warn(
          { topic: name[0].slice(0, 1), limit: this.queueMax },
          'subscription: a consumer fell too far behind; closing its socket so it reconnects and re-reads',
        );
        drop();
      },
      () => leave(),
      this.slots,
      latestOf,
    );
    leave = this.join(name, queue as Subscriber);
    return queue;
  }

  /** adds a subscriber to a topic; answers how it leaves (once its topic has no one left, the topic goes) */
  private join([scope, member]: Topic, subscriber: Subscriber): () => void {
    let members = this.topics.get(scope);
    if (!members) this.topics.set(scope, (members = new Map()));
    let subscribers = members.get(member);
    if (!subscribers) members.set(member, (subscribers = new Set()));
    subscribers.add(subscriber);
    return () => {
      subscribers.delete(subscriber);
      if (subscribers.size > 0 || members.get(member) !== subscribers) return;
      members.delete(member);
      if (members.size === 0 && this.topics.get(scope) === members) this.topics.delete(scope);
    };
  }

  private *queues(): Iterable<Subscriber> {
    for (const members of this.topics.values()) for (const subscribers of members.values()) yield* subscribers;
  }

  private subscribersOf([scope, member]: Topic): Set<Subscriber> | undefined {
    return this.topics.get(scope)?.get(member);
  }

  private publish(event: ExamEvent, read?: unknown): void {
    this.deliver(event, read);
    if (!this.redis) return;
    const failed = (error: unknown) => {
      this.metrics.publishFailures.inc();
      if (event.kind === 'resync') return;
      if (this.missed.size >= MISSED_EXAMS_MAX) this.missedAll = true;
      else this.missed.add(event.examId);
      logger.debug(
        { err: error, examId: event.examId },
        'pub/sub: publish failed; the exam will be resynced when Redis returns',
      );
    };
    try {
      this.redis.publish.publish(this.channel, JSON.stringify({ from: this.instance, event })).catch(failed);
    } catch (error) {
      failed(error);
    }
  }

  private received(message: string): void {
    let parsed: { from?: string; event?: ExamEvent };
    try {
      parsed = JSON.parse(message);
    } catch {
      logger.warn('pub/sub: an unreadable message on the events channel was ignored');
      return;
    }
    if (parsed.from === this.instance || !parsed.event) return;
    this.deliver(parsed.event);
  }

  /** to this instance's subscribers the event concerns, each payload built once for all of them */
  private deliver(event: ExamEvent, read?: unknown): void {
    switch (event.kind) {
      case 'sittings': {
        // fresh payloads, never the published ones: those also travel (as JSON) to the other instances
        const batch = new SittingBatch(
          event.examId,
          event.changes.map((c) => c.sittingId),
        );
        // read already: every push takes it at once (the first one too, in the turn the event is delivered in)
        if (read !== undefined) {
          batch.loaded = Promise.resolve(read);
          batch.ready = read;
        }
        const changes = event.changes.map(({ examId, sittingId, studentId, presence }): SittingEventPayload => ({
          examId,
          sittingId,
          studentId,
          ...(presence ? { presence } : {}),
          batch,
        }));
        // each scope's students found once, then each student's topics by their id
        const released = event.released ? this.topics.get(scope.released(event.examId)) : undefined;
        const mine = this.topics.get(scope.mySitting(event.examId));
        for (const change of changes) {
          if (released) toEach(released.get(change.studentId), change);
          if (mine) toEach(mine.get(change.studentId), change, change.sittingId);
        }
        if (changes.length === 1) this.toTopic(topic.sittings(event.examId), changes[0], changes[0].sittingId);
        else for (const queue of this.subscribersOf(topic.sittings(event.examId)) ?? []) queue.pushMany(changes);
        return;
      }
      case 'appeal': {
        const payload: AppealEventPayload = {
          examId: event.examId,
          appealId: event.appealId,
          commissionIds: event.commissionIds,
        };
        this.toTopic(topic.appeals(STAFF_APPEALS), payload, event.appealId);
        for (const id of event.commissionIds) this.toTopic(topic.appeals(id), payload, event.appealId);
        return;
      }
      case 'board':
        this.toTopic(topic.board(event.examId), { examId: event.examId } satisfies BoardEventPayload, 'board');
        return;
      case 'resync': {
        const at = new Date();
        if (event.examIds === null) {
          for (const [name, members] of this.topics) {
            if (!name.startsWith(RESYNC_SCOPE)) continue;
            toEach(
              members.get(EVERYONE),
              { examId: name.slice(RESYNC_SCOPE.length), at } satisfies ResyncPayload,
              'resync',
            );
          }
        } else {
          for (const examId of event.examIds)
            this.toTopic(topic.resync(examId), { examId, at } satisfies ResyncPayload, 'resync');
        }
      }
    }
  }

  private toTopic(name: Topic, payload: unknown, key?: string): void {
    toEach(this.subscribersOf(name), payload, key);
  }
}

function toEach(subscribers: Set<Subscriber> | undefined, payload: unknown, key?: string): void {
  if (subscribers) for (const queue of subscribers) queue.push(payload, key);
}
