import { isIP } from 'node:net';
import path from 'node:path';
import type { RequestLimits } from './common/request-limits';
import type { CompressionSettings } from './http/compressed-responses';
import { LIMIT_DEFAULTS } from './rules';

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
  /** all the files of one answer together, stored and arriving */
  maxAnswerBytes: number;
  maxAnswerChars: number;
  sessionHours: number;
  /** live sessions an instance keeps in memory so a request on one reads nothing; 0: none */
  sessionCacheMax: number;
  /** how long a kept session is used before it is read again (a revocation is heard at once); 0: none kept */
  sessionCacheTtlMs: number;
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
  /** the least time between two presence transactions: pages opening together share a transaction */
  presenceWriteGapMs: number;
  /** a start with Redis unreachable waits this long for it, then serves degraded and keeps retrying */
  redisStartWaitMs: number;
  clientDir?: string;
  /** SIGTERM: how long /readyz says 503 while the listener still serves, so balancers stop sending here first */
  shutdownDelayMs: number;
  /** SIGTERM: how long in-flight requests may still run after the listener closed; then they are cut */
  shutdownGraceMs: number;
  /** PostgreSQL connections this instance may hold (instances × this ≤ what the server or PgBouncer takes) */
  databasePoolMax: number;
  /** PostgreSQL statement_timeout of every connection; 0 leaves the server's (or the role's) own */
  databaseStatementTimeoutMs: number;
  /** SQLite: statements that may wait for the one connection at once; beyond it a request gets TOO_MANY_REQUESTS */
  sqliteQueueMax: number;
  /** GraphQL requests over HTTP that may wait for their turn of the event loop; beyond it 429 TOO_MANY_REQUESTS */
  requestQueueMax: number;
  /** SQLite `synchronous` with WAL: NORMAL (a commit survives a crash of the process) or FULL (also a power cut) */
  sqliteSynchronous: 'NORMAL' | 'FULL';
  /** SQLite: how often a thread of its own checkpoints the WAL (PASSIVE), so commits on the event loop do not; 0: SQLite's own, inside commits */
  sqliteCheckpointMs: number;
  /** Express's `trust proxy`: which proxies' X-Forwarded-For gives the client address (rate limits per address) */
  trustProxy: boolean | number | string;
  /** prefix of this deployment's keys and channels in Redis (rate limits, session revocations) */
  redisKeyPrefix: string;
  /** wrong passwords for one login within the window before it is locked */
  loginAccountFailures: number;
  /** failed logins from one client address within the window before the address is locked */
  loginAddressFailures: number;
  loginFailureWindowSeconds: number;
  loginLockSeconds: number;
  /** failures of a login answered at once; each one after waits loginSlowdownMs, doubling, at most loginSlowdownMaxMs */
  loginSlowdownAfter: number;
  loginSlowdownMs: number;
  loginSlowdownMaxMs: number;
  /** a new exam sends its students' drafts at each one's end unless its form says otherwise (Exam.autoSendAtEnd) */
  autoSendAtEnd: boolean;
  /** how often each instance looks for drafts whose end (and grace) has passed */
  autoSendSweepMs: number;
  /** drafts one sweep sends at most per round (rounds repeat until none is left) */
  autoSendBatch: number;
  /** a Send that arrives this long after the student's end is still accepted (marked LATE_WITHIN_GRACE) */
  sendGraceMs: number;
  /** saveAnswer calls plus answer uploads one student may make per minute */
  savesPerMinute: number;
  /** GraphQL requests without a valid token one client address may make per minute */
  anonymousRequestsPerMinute: number;
  /** scrypt derivations running at once (libuv's 4 threads are shared with file I/O) and waiting at most */
  passwordHashConcurrency: number;
  passwordHashQueue: number;
  /** how long a signed file link (FileRef.url) works; it also stops when its session ends */
  fileUrlTtlMs: number;
  /** what one GraphQL operation may ask, alike over HTTP and WebSocket */
  requestLimits: RequestLimits;
  /** largest /graphql request body and largest WebSocket message */
  maxRequestBytes: number;
  /** a WebSocket that sends no connection_init within this is closed (4408) */
  wsInitTimeoutMs: number;
  /** /metrics answers only `Authorization: Bearer <token>`; unset: /metrics is refused */
  metricsToken?: string;
  /** signs the download addresses (FileRef.url); unset: one is generated into dataDir and shared from there */
  fileUrlSecret?: string;
  /** Brotli/gzip of the responses the server compresses as it sends them (the web app's files are compressed at build time) */
  compression: CompressionSettings;
  /** working days after the grade's publication day during which the student may appeal (to the end of the last one) */
  appealWorkingDays: number;
  /** longest appeal text */
  maxAppealChars: number;
  /** files one appeal may hold (each at most maxFileBytes, all together at most maxAnswerBytes) */
  maxFilesPerAppeal: number;
  /** GraphQL requests one API client may make per minute unless the client has its own limit */
  apiClientRequestsPerMinute: number;
  /** issue 13: the most grade events one gradeChanges page answers (`first`) */
  gradeFeedPageMax: number;
  /** issue 13: webhook URLs one API client may have */
  webhooksPerClient: number;
  /** hosts a webhook may reach over plain http and at private or loopback addresses (e.g. 127.0.0.1 for tests) */
  webhookAllowedHosts: string[];
  /** how long one webhook POST may take (connect to the end of the response) before it counts as failed */
  webhookTimeoutMs: number;
  /** failed attempts of one event before the endpoint is marked failing (its later events wait until staff resume it) */
  webhookMaxAttempts: number;
  /** the wait after the first failed attempt; it doubles with each further one, at most webhookRetryMaxMs */
  webhookRetryBaseMs: number;
  webhookRetryMaxMs: number;
  /** how often each instance looks for webhook events to deliver */
  webhookPollMs: number;
  /** events one endpoint is sent in a row before the instance lets go of it (others get their turn) */
  webhookBatch: number;
  /** characters of a receiver's response kept in the delivery log */
  webhookResponseExcerptChars: number;
  /** days the delivery log keeps an attempt */
  webhookLogDays: number;
  /** delivery attempts staff see per webhook (the latest) */
  webhookLogShown: number;
  /** encrypts the webhook secrets at rest; unset: one is generated into dataDir and shared from there */
  webhookKey?: string;
  /** issue 13, schedule import: the largest CSV or XLSX file taken (bytes) */
  importMaxFileBytes: number;
  /** issue 13, schedule import: the most rows (exams) in one file or one importSchedule */
  importMaxRows: number;
  /** schedule import: the most bytes an XLSX workbook may unpack to (a zip bomb is refused before it is read) */
  importMaxUnpackedBytes: number;
  /** issue 13, schedule import: the longest cell (characters; the students cell is the long one) */
  importMaxCellChars: number;
  /** the largest `first` of a connection (usersConnection, examsConnection, …); also its default */
  maxPageSize: number;
  /** the longest `search` text a connection takes */
  maxSearchChars: number;
}

export class ConfigError extends Error {}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max = Infinity): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new ConfigError(`${name} must be a whole number ${range}, got "${raw}".`);
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

/** TRUST_PROXY: true/false, a number of proxy hops, or addresses/subnets (and loopback, linklocal, uniquelocal), comma-separated */
function trustProxy(env: NodeJS.ProcessEnv): boolean | number | string {
  const raw = env.TRUST_PROXY?.trim();
  if (!raw) return false;
  if (['true', 'false'].includes(raw.toLowerCase())) return raw.toLowerCase() === 'true';
  if (/^\d+$/.test(raw)) return Number(raw);
  const named = ['loopback', 'linklocal', 'uniquelocal'];
  for (const part of raw.split(',').map((p) => p.trim())) {
    const [address, bits] = part.split('/');
    if (named.includes(part) || (isIP(address) && (bits === undefined || /^\d{1,3}$/.test(bits)))) continue;
    throw new ConfigError(
      `TRUST_PROXY must be true, false, a number of proxies, or addresses such as "loopback, 10.0.0.0/8"; "${part}" is none of these.`,
    );
  }
  return raw;
}

function sqliteSynchronous(env: NodeJS.ProcessEnv): 'NORMAL' | 'FULL' {
  const raw = (env.SQLITE_SYNCHRONOUS?.trim() || 'NORMAL').toUpperCase();
  if (raw !== 'NORMAL' && raw !== 'FULL')
    throw new ConfigError(`SQLITE_SYNCHRONOUS must be NORMAL or FULL; "${env.SQLITE_SYNCHRONOUS}" is neither.`);
  return raw;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export interface LoggingConfig {
  level: (typeof LOG_LEVELS)[number];
  /** a name for this instance in every log line */
  instanceId?: string;
}

/** LOG_LEVEL and INSTANCE_ID: read when the logger is made, before the rest of the configuration is loaded. */
export function loggingConfig(env: NodeJS.ProcessEnv = process.env): LoggingConfig {
  const level = (env.LOG_LEVEL?.trim() || 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; "${env.LOG_LEVEL}" is none of these.`);
  }
  return { level: level as LoggingConfig['level'], instanceId: env.INSTANCE_ID || undefined };
}

/** Reads the environment once and fails fast with a sentence an operator can act on. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(
      `DATABASE_URL must start with postgres:// (got "${databaseUrl.split(':')[0]}:…"); leave it unset for the embedded SQLite database.`,
    );
  }
  const redisUrl = env.REDIS_URL || undefined;
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) {
    throw new ConfigError('REDIS_URL must start with redis:// or rediss://; leave it unset for a single instance.');
  }
  const redisKeyPrefix = env.REDIS_KEY_PREFIX || 'attestation';
  if (!/^[\w.:-]{1,50}$/.test(redisKeyPrefix))
    throw new ConfigError('REDIS_KEY_PREFIX must be 1–50 letters, digits, . _ : -');
  const timeZone = env.TIME_ZONE || 'Asia/Almaty';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new ConfigError(`TIME_ZONE "${timeZone}" is not an IANA time zone such as Asia/Almaty.`);
  }
  const heartbeatMs = overrides.heartbeatMs ?? int(env, 'HEARTBEAT_MS', 5_000, 100);
  const production = env.NODE_ENV === 'production';
  const metricsToken = env.METRICS_TOKEN || undefined;
  if (metricsToken && metricsToken.length < 16)
    throw new ConfigError('METRICS_TOKEN must be at least 16 characters long; leave it unset to refuse /metrics.');
  const fileUrlSecret = env.FILE_URL_SECRET || undefined;
  if (fileUrlSecret && fileUrlSecret.length < 16) {
    throw new ConfigError(
      'FILE_URL_SECRET must be at least 16 characters long (e.g. `openssl rand -hex 32`); leave it unset to keep one in DATA_DIR.',
    );
  }
  return {
    port: int(env, 'PORT', 4000, 0),
    host: env.HOST || '0.0.0.0',
    dataDir: path.resolve(env.DATA_DIR || './data'),
    databaseUrl,
    seedDemo: bool(env, 'SEED_DEMO', true),
    migrateOnStart: bool(env, 'MIGRATE_ON_START', true),
    timeZone,
    maxFileBytes: int(env, 'MAX_FILE_MB', LIMIT_DEFAULTS.maxFileMb, 1) * 1024 * 1024,
    maxFilesPerAnswer: int(env, 'MAX_FILES_PER_ANSWER', LIMIT_DEFAULTS.maxFilesPerAnswer, 1),
    maxAnswerBytes: int(env, 'MAX_ANSWER_MB', LIMIT_DEFAULTS.maxAnswerMb, 1) * 1024 * 1024,
    maxAnswerChars: int(env, 'MAX_ANSWER_CHARS', LIMIT_DEFAULTS.maxAnswerChars, 10),
    sessionHours: int(env, 'SESSION_HOURS', 12, 1),
    sessionCacheMax: int(env, 'SESSION_CACHE_MAX', 10_000, 0),
    sessionCacheTtlMs: int(env, 'SESSION_CACHE_TTL_MS', 30_000, 0),
    heartbeatMs,
    presenceTtlMs: int(env, 'PRESENCE_TTL_MS', heartbeatMs * 3, 300),
    redisUrl,
    subscriptionQueueMax: int(env, 'SUBSCRIPTION_QUEUE_MAX', 500, 1),
    pushConcurrency: int(env, 'PUSH_CONCURRENCY', 64, 1),
    presenceWriteGapMs: int(env, 'PRESENCE_WRITE_GAP_MS', 50, 0),
    redisStartWaitMs: int(env, 'REDIS_START_WAIT_MS', 5_000, 0),
    clientDir: path.resolve(__dirname, '../../dist/client/browser'),
    shutdownDelayMs: int(env, 'SHUTDOWN_DELAY_MS', 5_000, 0),
    shutdownGraceMs: int(env, 'SHUTDOWN_GRACE_MS', 25_000, 0),
    databasePoolMax: int(env, 'DATABASE_POOL_MAX', 10, 1),
    databaseStatementTimeoutMs: int(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 15_000, 0),
    sqliteQueueMax: int(env, 'SQLITE_QUEUE_MAX', 2_000, 1),
    requestQueueMax: int(env, 'REQUEST_QUEUE_MAX', 5_000, 1),
    sqliteSynchronous: sqliteSynchronous(env),
    sqliteCheckpointMs: int(env, 'SQLITE_CHECKPOINT_MS', 1_000, 0),
    trustProxy: trustProxy(env),
    redisKeyPrefix,
    loginAccountFailures: int(env, 'LOGIN_ACCOUNT_FAILURES', 10, 1),
    loginAddressFailures: int(env, 'LOGIN_ADDRESS_FAILURES', 200, 1),
    loginFailureWindowSeconds: int(env, 'LOGIN_FAILURE_WINDOW_MINUTES', 15, 1) * 60,
    loginLockSeconds: int(env, 'LOGIN_LOCK_MINUTES', 15, 1) * 60,
    loginSlowdownAfter: int(env, 'LOGIN_SLOWDOWN_AFTER', 3, 0),
    loginSlowdownMs: int(env, 'LOGIN_SLOWDOWN_MS', 500, 0),
    loginSlowdownMaxMs: int(env, 'LOGIN_SLOWDOWN_MAX_MS', 4000, 0),
    autoSendAtEnd: bool(env, 'AUTO_SEND_AT_END', true),
    autoSendSweepMs: int(env, 'AUTO_SEND_SWEEP_MS', 5_000, 100),
    autoSendBatch: int(env, 'AUTO_SEND_BATCH', 200, 1),
    sendGraceMs: int(env, 'SEND_GRACE_MS', 30_000, 0),
    savesPerMinute: int(env, 'SAVES_PER_MINUTE', 120, 1),
    anonymousRequestsPerMinute: int(env, 'ANONYMOUS_REQUESTS_PER_MINUTE', 600, 1),
    passwordHashConcurrency: int(env, 'PASSWORD_HASH_CONCURRENCY', 1, 1),
    passwordHashQueue: int(env, 'PASSWORD_HASH_QUEUE', 200, 0),
    fileUrlTtlMs: int(env, 'FILE_URL_TTL_MINUTES', 15, 1) * 60_000,
    // the web app's own operations measured against these in request-limits.spec.ts; defaults leave them room
    requestLimits: {
      maxDepth: int(env, 'GRAPHQL_MAX_DEPTH', 10, 2),
      maxAliases: int(env, 'GRAPHQL_MAX_ALIASES', 20, 0),
      maxDirectives: int(env, 'GRAPHQL_MAX_DIRECTIVES', 20, 0),
      maxTokens: int(env, 'GRAPHQL_MAX_TOKENS', 2_000, 100),
      maxCost: int(env, 'GRAPHQL_MAX_COST', 2_000, 10),
      maxVariableDepth: int(env, 'GRAPHQL_MAX_VARIABLE_DEPTH', 16, 2),
      introspection: bool(env, 'GRAPHQL_INTROSPECTION', !production),
      suggestions: bool(env, 'GRAPHQL_SUGGESTIONS', !production),
    },
    maxRequestBytes: int(env, 'GRAPHQL_MAX_BODY_KB', 1024, 16) * 1024,
    wsInitTimeoutMs: int(env, 'WS_INIT_TIMEOUT_MS', 3_000, 100),
    metricsToken,
    fileUrlSecret,
    compression: {
      thresholdBytes: int(env, 'COMPRESSION_MIN_BYTES', 1024, 0),
      gzipLevel: int(env, 'COMPRESSION_GZIP_LEVEL', 6, 1, 9),
      brotliQuality: int(env, 'COMPRESSION_BROTLI_QUALITY', 4, 0, 11),
    },
    appealWorkingDays: int(env, 'APPEAL_WORKING_DAYS', 1, 1, 30),
    maxAppealChars: int(env, 'MAX_APPEAL_CHARS', 5_000, 10),
    maxFilesPerAppeal: int(env, 'MAX_FILES_PER_APPEAL', 5, 0),
    apiClientRequestsPerMinute: int(env, 'API_CLIENT_REQUESTS_PER_MINUTE', 600, 1),
    gradeFeedPageMax: int(env, 'GRADE_FEED_PAGE_MAX', 500, 1, 10_000),
    webhooksPerClient: int(env, 'WEBHOOKS_PER_CLIENT', 5, 1, 100),
    webhookAllowedHosts: (env.WEBHOOK_ALLOWED_HOSTS ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
    webhookTimeoutMs: int(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
    webhookMaxAttempts: int(env, 'WEBHOOK_MAX_ATTEMPTS', 8, 1, 100),
    webhookRetryBaseMs: int(env, 'WEBHOOK_RETRY_BASE_MS', 10_000, 1),
    webhookRetryMaxMs: int(env, 'WEBHOOK_RETRY_MAX_MS', 3_600_000, 1),
    webhookPollMs: int(env, 'WEBHOOK_POLL_MS', 2_000, 10),
    webhookBatch: int(env, 'WEBHOOK_BATCH', 100, 1),
    webhookResponseExcerptChars: int(env, 'WEBHOOK_RESPONSE_EXCERPT_CHARS', 200, 0, 10_000),
    webhookLogDays: int(env, 'WEBHOOK_LOG_DAYS', 14, 1),
    webhookLogShown: int(env, 'WEBHOOK_LOG_SHOWN', 20, 1, 500),
    webhookKey: webhookKey(env),
    importMaxFileBytes: int(env, 'IMPORT_MAX_FILE_KB', 2048, 1) * 1024,
    importMaxRows: int(env, 'IMPORT_MAX_ROWS', 2000, 1),
    importMaxUnpackedBytes: int(env, 'IMPORT_MAX_UNPACKED_KB', 16384, 64) * 1024,
    importMaxCellChars: int(env, 'IMPORT_MAX_CELL_CHARS', 20000, 100),
    maxPageSize: int(env, 'MAX_PAGE_SIZE', 100, 1, 1_000),
    maxSearchChars: int(env, 'MAX_SEARCH_CHARS', 100, 1, 1_000),
    ...overrides,
  };
}

function webhookKey(env: NodeJS.ProcessEnv): string | undefined {
  const key = env.WEBHOOK_KEY || undefined;
  if (key && key.length < 16)
    throw new ConfigError(
      'WEBHOOK_KEY must be at least 16 characters long (e.g. `openssl rand -hex 32`); leave it unset to keep one in DATA_DIR.',
    );
  return key;
}
