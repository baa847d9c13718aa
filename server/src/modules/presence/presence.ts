import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

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
  /** set by the owner: called when a student went offline because their instance stopped answering */
  onExpired?: (examId: string, studentId: string) => void;
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

  async close(): Promise<void> {}
}

/**
 * Several instances: each instance keeps its own sockets in a per-exam sorted set
 * (`<student>@<instance>`, scored by an expiry it refreshes). An instance that dies
 * stops refreshing; any live instance sweeps its members once they expire and
 * reports those students offline, so presence is bounded by `ttlMs`.
 */
export class RedisPresence implements Presence {
  readonly instanceId = randomUUID();
  private readonly local = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;
  onExpired?: (examId: string, studentId: string) => void;

  constructor(private readonly redis: Redis, private readonly ttlMs: number) {
    this.timer = setInterval(() => void this.tick().catch(() => undefined), Math.max(50, Math.floor(ttlMs / 3)));
    this.timer.unref();
  }

  private zset = (examId: string) => `att:presence:${examId}`;
  private sinceKey = (examId: string) => `att:presence-since:${examId}`;
  private static readonly EXAMS = 'att:presence-exams';
  private member = (studentId: string) => `${studentId}@${this.instanceId}`;

  private async liveMembers(examId: string, studentId: string): Promise<string[]> {
    const live = await this.redis.zrangebyscore(this.zset(examId), Date.now(), '+inf');
    return live.filter((m) => m.startsWith(`${studentId}@`));
  }

  async join(examId: string, studentId: string, now: Date): Promise<boolean> {
    const key = `${examId}:${studentId}`;
    const count = (this.local.get(key) ?? 0) + 1;
    this.local.set(key, count);
    if (count > 1) return false;
    const others = (await this.liveMembers(examId, studentId)).filter((m) => m !== this.member(studentId));
    await this.redis.multi()
      .zadd(this.zset(examId), Date.now() + this.ttlMs, this.member(studentId))
      .sadd(RedisPresence.EXAMS, examId)
      .exec();
    if (others.length > 0) return false;
    await this.redis.hset(this.sinceKey(examId), studentId, String(now.getTime()));
    return true;
  }

  async leave(examId: string, studentId: string): Promise<boolean> {
    const key = `${examId}:${studentId}`;
    const count = (this.local.get(key) ?? 0) - 1;
    if (count > 0) {
      this.local.set(key, count);
      return false;
    }
    if (count < 0) return false;
    this.local.delete(key);
    await this.redis.zrem(this.zset(examId), this.member(studentId));
    return this.goneEverywhere(examId, studentId);
  }

  private async goneEverywhere(examId: string, studentId: string): Promise<boolean> {
    if ((await this.liveMembers(examId, studentId)).length > 0) return false;
    await this.redis.hdel(this.sinceKey(examId), studentId);
    return true;
  }

  async onlineSince(examId: string, studentId: string): Promise<Date | null> {
    if ((await this.liveMembers(examId, studentId)).length === 0) return null;
    const since = await this.redis.hget(this.sinceKey(examId), studentId);
    return since ? new Date(Number(since)) : new Date();
  }

  /** refresh this instance's members, then sweep everyone's expired ones */
  private async tick(): Promise<void> {
    const expiry = Date.now() + this.ttlMs;
    if (this.local.size) {
      const refresh = this.redis.pipeline();
      for (const key of this.local.keys()) {
        const [examId, studentId] = key.split(':');
        refresh.zadd(this.zset(examId), expiry, this.member(studentId)).sadd(RedisPresence.EXAMS, examId);
      }
      await refresh.exec();
    }
    for (const examId of await this.redis.smembers(RedisPresence.EXAMS)) {
      const expired = await this.redis.zrangebyscore(this.zset(examId), '-inf', Date.now());
      for (const member of expired) {
        // ZREM answers 1 on exactly one instance, which then reports the student gone
        if ((await this.redis.zrem(this.zset(examId), member)) !== 1) continue;
        const studentId = member.slice(0, member.indexOf('@'));
        if (await this.goneEverywhere(examId, studentId)) this.onExpired?.(examId, studentId);
      }
      if ((await this.redis.zcard(this.zset(examId))) === 0) await this.redis.srem(RedisPresence.EXAMS, examId);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
  }
}
