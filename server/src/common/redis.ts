import { Redis } from 'ioredis';

/**
 * The Redis connections of one instance: commands (presence), publishing, and a
 * connection in subscriber mode (which can run nothing else).
 */
export interface RedisConnections {
  command: Redis;
  publish: Redis;
  subscribe: Redis;
  close(): Promise<void>;
}

export async function connectRedis(url: string): Promise<RedisConnections> {
  const open = () => new Redis(url, { maxRetriesPerRequest: 3, enableOfflineQueue: true, lazyConnect: true });
  const connections = { command: open(), publish: open(), subscribe: open() };
  await Promise.all(Object.values(connections).map((c) => c.connect()));
  return {
    ...connections,
    close: async () => {
      await Promise.all(Object.values(connections).map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}
