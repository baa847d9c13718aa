import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** postgres://… switches from the embedded SQLite file to PostgreSQL */
  databaseUrl?: string;
  seedDemo: boolean;
  /** apply pending migrations at start (one instance); several instances run `npm run migrate` once instead */
  migrateOnStart: boolean;
  /** IANA zone the university lives in; clients show times in it */
  timeZone: string;
  maxFileBytes: number;
  maxFilesPerAnswer: number;
  maxAnswerChars: number;
  sessionHours: number;
  /** a socket that misses a heartbeat for this long counts as gone (R2.1) */
  heartbeatMs: number;
  /** several instances: how long a dead instance's students may still show online */
  presenceTtlMs: number;
  /** redis://… makes subscriptions and presence shared by several instances */
  redisUrl?: string;
  /** pushes that may wait for one subscriber before its socket is closed (1013) so it reconnects and re-reads */
  subscriptionQueueMax: number;
  /** pushes built at once on this instance (each a GraphQL execution with its reads): bounds memory in a big fan-out */
  pushConcurrency: number;
  /** a start with Redis unreachable waits this long for it, then serves degraded and keeps retrying */
  redisStartWaitMs: number;
  clientDir?: string;
  logRequests: boolean;
}

export class ConfigError extends Error {}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(`${name} must be a whole number of at least ${min}, got "${raw}".`);
  }
  return value;
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['true', '1', 'yes'].includes(raw.toLowerCase())) return true;
  if (['false', '0', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}".`);
}

/** Reads the environment once and fails fast with a sentence an operator can act on. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(`DATABASE_URL must start with postgres:// (got "${databaseUrl.split(':')[0]}:…"); leave it unset for the embedded SQLite database.`);
  }
  const redisUrl = env.REDIS_URL || undefined;
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) {
    throw new ConfigError('REDIS_URL must start with redis:// or rediss://; leave it unset for a single instance.');
  }
  const timeZone = env.TIME_ZONE || 'Asia/Almaty';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new ConfigError(`TIME_ZONE "${timeZone}" is not an IANA time zone such as Asia/Almaty.`);
  }
  const heartbeatMs = overrides.heartbeatMs ?? int(env, 'HEARTBEAT_MS', 5_000, 100);
  return {
    port: int(env, 'PORT', 4000, 0),
    host: env.HOST || '0.0.0.0',
    dataDir: path.resolve(env.DATA_DIR || './data'),
    databaseUrl,
    seedDemo: bool(env, 'SEED_DEMO', true),
    migrateOnStart: bool(env, 'MIGRATE_ON_START', true),
    timeZone,
    maxFileBytes: int(env, 'MAX_FILE_MB', 20, 1) * 1024 * 1024,
    maxFilesPerAnswer: int(env, 'MAX_FILES_PER_ANSWER', 10, 1),
    maxAnswerChars: int(env, 'MAX_ANSWER_CHARS', 100_000, 10),
    sessionHours: int(env, 'SESSION_HOURS', 12, 1),
    heartbeatMs,
    presenceTtlMs: int(env, 'PRESENCE_TTL_MS', heartbeatMs * 3, 300),
    redisUrl,
    subscriptionQueueMax: int(env, 'SUBSCRIPTION_QUEUE_MAX', 500, 1),
    pushConcurrency: int(env, 'PUSH_CONCURRENCY', 64, 1),
    redisStartWaitMs: int(env, 'REDIS_START_WAIT_MS', 5_000, 0),
    clientDir: path.resolve(__dirname, '../../dist/client/browser'),
    logRequests: bool(env, 'LOG_REQUESTS', false),
    ...overrides,
  };
}
