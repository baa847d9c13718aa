import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Metrics } from '../../common/metrics';

/**
 * Who has an exam page open right now (R2.1). A student is online at an exam
 * while at least one of their sockets, on any instance, holds a subscription to it.
 */
export interface Presence {
  /** true when this makes the student online (their first open page anywhere) */
  join(examId: string, studentId: string, now: Date): Promise<boolean>;
  /** true when this makes the student offline (their last open page has gone) */
  leave(examId: string, studentId: string): Promise<boolean>;
  onlineSince(examId: string, studentId: string): Promise<Date | null>;
  /** the same for many students of one exam, in one call (a staff page lists them all) */
  onlineSinceMany(examId: string, studentIds: readonly string[]): Promise<Map<string, Date | null>>;
  /** set by the owner: called when a student went offline because their instance stopped answering */
  onExpired?: (examId: string, studentId: string) => void;
  /** after a Redis outage: re-add this instance's pages; answers the exams whose presence may have changed */
  rebuild?(): Promise<string[]>;
  close(): Promise<void>;
}

/** One process: counts in memory. */
export class MemoryPresence implements Presence {
  private readonly holders = new Map<string, { count: number; since: Date }>();
  onExpired?: (examId: string, studentId: string) => void;

  async join(examId: string, studentId: string, now: Date): Promise<boolean> {
    const key = `${examId}:${studentId}`;
    const held = this.holders.get(key);
    if (held) {
      held.count += 1;
      return false;
    }
    this.holders.set(key, { count: 1, since: now });
    return true;
  }

  async leave(examId: string, studentId: string): Promise<boolean> {
    const key = `${examId}:${studentId}`;
    const held = this.holders.get(key);
    if (!held) return false;
    held.count -= 1;
    if (held.count > 0) return false;
    this.holders.delete(key);
    return true;
  }

  async onlineSince(examId: string, studentId: string): Promise<Date | null> {
    return this.holders.get(`${examId}:${studentId}`)?.since ?? null;
  }

  async onlineSinceMany(examId: string, studentIds: readonly string[]): Promise<Map<string, Date | null>> {
    return new Map(studentIds.map((id) => [id, this.holders.get(`${examId}:${id}`)?.since ?? null]));
  }

  async close(): Promise<void> {}
}

/**
 * Several instances: each instance keeps its own sockets in a per-exam sorted set
 * (`<student>@<instance>`, scored by an expiry it refreshes). An instance that dies
 * stops refreshing; any live instance sweeps its members once they expire and
 * reports those students offline, so presence is bounded by `ttlMs`.
 *
 * Redis down never fails a join or a leave: the instance's own sockets (`local`) are the
 * truth, a first local page counts as online, a leave waits (`pendingLeaves`) until Redis
 * can say whether another instance still holds the student. After Redis returns,
 * `rebuild()` re-adds this instance's members and nobody sweeps for one TTL plus a
 * reconnect, so every live instance has re-added its own first (no false offline storm);
 * a page closed during the outage is then reported offline (no ghost).
 */
export class RedisPresence implements Presence {
  readonly instanceId = randomUUID();
  /** this instance's open pages per `exam:student`, and since when the first was open */
  private readonly local = new Map<string, { count: number; since: Date }>();
  /** `exam:student` whose last local page closed while Redis could not be told */
  private readonly pendingLeaves = new Set<string>();
  private sweepAfter = 0;
  private ticking = false;
  private readonly timer: NodeJS.Timeout;
  onExpired?: (examId: string, studentId: string) => void;

  constructor(
    private readonly redis: Redis,
    private readonly ttlMs: number,
    private readonly metrics?: Metrics,
    /** how long after Redis returns other instances may take to reconnect */
    private readonly reconnectMs = 1_000,
    /** REDIS_KEY_PREFIX: the instances of one deployment share these keys, other deployments on the Redis do not */
    private readonly prefix = 'attestation',
  ) {
    this.timer = setInterval(() => void this.tick(), Math.max(50, Math.floor(ttlMs / 3)));
    this.timer.unref();
  }

  private zset = (examId: string) => `${this.prefix}:presence:${examId}`;
  private sinceKey = (examId: string) => `${this.prefix}:presence-since:${examId}`;
  private readonly exams = `${this.prefix}:presence-exams`;
  private member = (studentId: string) => `${studentId}@${this.instanceId}`;

  private async liveMembers(examId: string, studentId: string): Promise<string[]> {
    const live = await this.redis.zrangebyscore(this.zset(examId), Date.now(), '+inf');
    return live.filter((m) => m.startsWith(`${studentId}@`));
  }

  async join(examId: string, studentId: string, now: Date): Promise<boolean> {
    const key = `${examId}:${studentId}`;
    this.pendingLeaves.delete(key);
    const held = this.local.get(key);
    if (held) {
      held.count += 1;
      return false;
    }
    this.local.set(key, { count: 1, since: now });
    try {
      const others = (await this.liveMembers(examId, studentId)).filter((m) => m !== this.member(studentId));
      await this.redis
        .multi()
        .zadd(this.zset(examId), Date.now() + this.ttlMs, this.member(studentId))
        .sadd(this.exams, examId)
        .exec();
      if (others.length > 0) return false;
      await this.redis.hset(this.sinceKey(examId), studentId, String(now.getTime()));
      return true;
    } catch {
      return true; // Redis down: this page is the student's first here; rebuild() adds it when Redis returns
    }
  }

  async leave(examId: string, studentId: string): Promise<boolean> {
    const key = `${examId}:${studentId}`;
    const held = this.local.get(key);
    if (!held) return false;
    held.count -= 1;
    if (held.count > 0) return false;
    this.local.delete(key);
    try {
      await this.redis.zrem(this.zset(examId), this.member(studentId));
      return await this.goneEverywhere(examId, studentId);
    } catch {
      this.pendingLeaves.add(key); // decided once Redis can say whether another instance holds the student
      return false;
    }
  }

  private async goneEverywhere(examId: string, studentId: string): Promise<boolean> {
    if ((await this.liveMembers(examId, studentId)).length > 0) return false;
    await this.redis.hdel(this.sinceKey(examId), studentId);
    return true;
  }

  async onlineSince(examId: string, studentId: string): Promise<Date | null> {
    // a page this instance holds is proof enough (and right even before rebuild() after an outage)
    const held = this.local.get(`${examId}:${studentId}`);
    if (held) {
      const since = await this.redis.hget(this.sinceKey(examId), studentId).catch(() => null);
      return since ? new Date(Number(since)) : held.since;
    }
    try {
      if ((await this.liveMembers(examId, studentId)).length === 0) return null;
      const since = await this.redis.hget(this.sinceKey(examId), studentId);
      return since ? new Date(Number(since)) : new Date();
    } catch {
      return null; // Redis down: not on this instance's pages, and nobody can say about the others
    }
  }

  /** one round trip for a whole page: the exam's live members and their start times, by the rules of onlineSince */
  async onlineSinceMany(examId: string, studentIds: readonly string[]): Promise<Map<string, Date | null>> {
    const answer = new Map<string, Date | null>();
    if (studentIds.length === 0) return answer;
    try {
      const replies = await this.redis
        .pipeline()
        .zrangebyscore(this.zset(examId), Date.now(), '+inf')
        .hmget(this.sinceKey(examId), ...studentIds)
        .exec();
      const failed = replies?.find(([error]) => error);
      if (!replies || failed) throw failed?.[0] ?? new Error('presence: no reply');
      const live = new Set((replies[0][1] as string[]).map((m) => m.slice(0, m.indexOf('@'))));
      const since = replies[1][1] as (string | null)[];
      studentIds.forEach((id, i) => {
        const held = this.local.get(`${examId}:${id}`);
        const stored = since[i] ? new Date(Number(since[i])) : null;
        answer.set(id, held ? (stored ?? held.since) : live.has(id) ? (stored ?? new Date()) : null);
      });
    } catch {
      // Redis down: this instance's own pages only, as onlineSince answers then
      for (const id of studentIds) answer.set(id, this.local.get(`${examId}:${id}`)?.since ?? null);
    }
    return answer;
  }

  /**
   * Redis is back (perhaps empty): re-add every page this instance holds, hold sweeps off until
   * the other instances have done the same, and name the exams whose presence may have changed.
   */
  async rebuild(): Promise<string[]> {
    this.sweepAfter = Date.now() + this.ttlMs + this.reconnectMs;
    const expiry = Date.now() + this.ttlMs;
    const exams = new Set<string>();
    const write = this.redis.pipeline();
    for (const [key, held] of this.local) {
      const [examId, studentId] = key.split(':');
      exams.add(examId);
      write
        .zadd(this.zset(examId), expiry, this.member(studentId))
        .sadd(this.exams, examId)
        .hsetnx(this.sinceKey(examId), studentId, String(held.since.getTime()));
    }
    for (const key of this.pendingLeaves) exams.add(key.split(':')[0]);
    if (this.local.size) await write.exec();
    return [...exams];
  }

  /** refresh this instance's members, then sweep everyone's expired ones; never throws (Redis may be down) */
  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    const end = this.metrics?.presenceSweep.startTimer();
    try {
      const expiry = Date.now() + this.ttlMs;
      if (this.local.size) {
        const refresh = this.redis.pipeline();
        for (const key of this.local.keys()) {
          const [examId, studentId] = key.split(':');
          refresh.zadd(this.zset(examId), expiry, this.member(studentId)).sadd(this.exams, examId);
        }
        await refresh.exec();
      }
      if (Date.now() < this.sweepAfter) return;
      for (const key of [...this.pendingLeaves]) {
        const [examId, studentId] = key.split(':');
        await this.redis.zrem(this.zset(examId), this.member(studentId));
        this.pendingLeaves.delete(key);
        if (!this.local.has(key) && (await this.goneEverywhere(examId, studentId))) this.onExpired?.(examId, studentId);
      }
      for (const examId of await this.redis.smembers(this.exams)) {
        const expired = await this.redis.zrangebyscore(this.zset(examId), '-inf', Date.now());
        for (const member of expired) {
          // ZREM answers 1 on exactly one instance, which then reports the student gone
          if ((await this.redis.zrem(this.zset(examId), member)) !== 1) continue;
          const studentId = member.slice(0, member.indexOf('@'));
          if (await this.goneEverywhere(examId, studentId)) this.onExpired?.(examId, studentId);
        }
        if ((await this.redis.zcard(this.zset(examId))) === 0) await this.redis.srem(this.exams, examId);
      }
    } catch {
      // Redis down: the next tick tries again; rebuild() runs when it returns
    } finally {
      end?.();
      this.ticking = false;
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
  }
}
