import { Redis, type RedisOptions } from 'ioredis';
import { logger } from './logger';
import type { Metrics } from './metrics';

/**
 * The Redis connections of one instance: commands (presence), publishing, and a connection in
 * subscriber mode (which can run nothing else).
 *
 * Redis is never a reason to fail: commands fail at once while a connection is down (no offline
 * queue, so nothing piles up in memory) and every caller handles that; ioredis reconnects every
 * second at most. The link is `connected` while all three are ready and the subscriber listens;
 * each time it becomes connected again after a loss (or after a start that went on without it)
 * the `onRestored` listeners run — presence rebuilds, subscribers resync.
 */
export interface RedisConnections {
  command: Redis;
  publish: Redis;
  subscribe: Redis;
  readonly connected: boolean;
  onRestored(listener: () => Promise<void>): void;
  /** resolves true once connected, false after `ms` without */
  ready(ms: number): Promise<boolean>;
  close(): Promise<void>;
}

/** reconnect attempts back off to one a second: quick to notice Redis is back, cheap while it is not */
export const REDIS_RETRY_MAX_MS = 1_000;

export function connectRedis(url: string, channels: string[], metrics: Metrics): RedisConnections {
  const options: RedisOptions = {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (times) => Math.min(100 * times, REDIS_RETRY_MAX_MS),
    connectTimeout: 5_000,
    // the subscriber connection subscribes again itself on every 'ready' (below), with its failure handled;
    // ioredis's own resubscribe leaves a rejection nobody handles when the link drops again meanwhile
    autoResubscribe: false,
  };
  const command = new Redis(url, options);
  const publish = new Redis(url, options);
  const subscribe = new Redis(url, options);
  const all = [command, publish, subscribe];
  const where = (() => {
    try {
      const u = new URL(url);
      return `${u.hostname}:${u.port || 6379}`;
    } catch {
      return 'REDIS_URL';
    }
  })();

  let listening = false;
  let connected = false;
  let closing = false;
  let downSince: number | null = Date.now();
  /** something may have been missed: the link was lost, or the start went on without it */
  let missed = false;
  let lastError = '';
  const restored: (() => Promise<void>)[] = [];
  const waiters = new Set<() => void>();
  let recovering = Promise.resolve();
  metrics.redisConnected.set(0);

  const update = () => {
    const now = all.every((c) => c.status === 'ready') && listening;
    if (now === connected || closing) return;
    connected = now;
    metrics.redisConnected.set(now ? 1 : 0);
    if (!now) {
      downSince = Date.now();
      missed = true;
      logger.warn(
        { redis: where, error: lastError || undefined },
        "Redis unreachable: pushes reach this instance's sockets only, presence is kept locally; reconnecting every second (/readyz answers 503 meanwhile)",
      );
      return;
    }
    const outageMs = downSince === null ? 0 : Date.now() - downSince;
    downSince = null;
    for (const wake of waiters) wake();
    if (!missed) {
      logger.info({ redis: where }, 'Redis connected');
      return;
    }
    missed = false;
    logger.info(
      { redis: where, outageMs },
      'Redis reachable again: presence rebuilds and every subscriber is told to re-read',
    );
    recovering = recovering.then(async () => {
      for (const listener of restored) {
        if (!connected) return; // lost again: the next return runs them all again
        await listener().catch((error) =>
          logger.warn({ err: error }, 'Redis recovery step failed; it runs again when Redis next returns'),
        );
      }
    });
  };

  for (const connection of all) {
    connection.on('ready', update);
    connection.on('close', update);
    connection.on('end', update);
    // without a listener ioredis prints each failed attempt as plain text
    connection.on('error', (error: Error) => {
      lastError = error.message;
      logger.debug({ err: error, redis: where }, 'Redis connection error');
    });
  }
  subscribe.on('ready', () => {
    subscribe.subscribe(...channels).then(
      () => {
        listening = true;
        update();
      },
      (error) => logger.debug({ err: error }, 'Redis: subscribe failed; retried on the next connection'),
    );
  });
  subscribe.on('close', () => {
    listening = false;
    update();
  });

  return {
    command,
    publish,
    subscribe,
    get connected() {
      return connected;
    },
    onRestored: (listener) => void restored.push(listener),
    ready: (ms) =>
      new Promise<boolean>((resolve) => {
        if (connected) return resolve(true);
        const wake = () => {
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(true);
        };
        const timer = setTimeout(() => {
          waiters.delete(wake);
          missed = true; // serving without Redis from now on: recover once it answers
          resolve(false);
        }, ms);
        waiters.add(wake);
      }),
    close: async () => {
      closing = true;
      await recovering;
      await Promise.all(all.map((c) => (c.status === 'ready' ? c.quit().catch(() => c.disconnect()) : c.disconnect())));
    },
  };
}
