import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** the part of knex's tarn pool the gauges read */
export interface DatabasePool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
}

/** A failed statement's kind by its SQLSTATE (PostgreSQL) or SQLite code: what an operator alerts on differs. */
function databaseErrorKind(error: unknown): string {
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  if (code === '57014') return 'statement_timeout';
  if (code === '40P01' || code === '40001') return 'deadlock';
  if (code === '55P03' || code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'lock_timeout';
  if (code.startsWith('23') || code.startsWith('SQLITE_CONSTRAINT')) return 'constraint';
  if (code.startsWith('08') || code.startsWith('57P') || /^E[A-Z]+$/.test(code)) return 'connection';
  return 'other';
}

/** Prometheus metrics of one server instance, served at /metrics. */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'attestation_http_requests_total',
    help: 'HTTP requests by route kind, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'attestation_http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly graphqlErrors = new Counter({
    name: 'attestation_graphql_errors_total',
    help: 'GraphQL errors by extensions.code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  readonly subscribers = new Gauge({
    name: 'attestation_exam_subscribers',
    help: 'open subscriptions per exam',
    labelNames: ['exam'] as const,
    registers: [this.registry],
  });

  readonly rateLimited = new Counter({
    name: 'attestation_rate_limited_total',
    help: 'requests refused by a rate limit, by limit',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });

  readonly loginLocks = new Counter({
    name: 'attestation_login_locks_total',
    help: 'logins or client addresses locked after too many failed sign-ins',
    labelNames: ['scope'] as const,
    registers: [this.registry],
  });

  readonly loginsSlowed = new Counter({
    name: 'attestation_logins_slowed_total',
    help: 'sign-ins answered after a slowdown for earlier failures',
    registers: [this.registry],
  });

  readonly openSockets = new Gauge({
    name: 'attestation_open_websockets',
    help: 'open WebSocket connections',
    registers: [this.registry],
  });

  // database: the pool is read at scrape time (watchDatabase); failed statements are counted as they fail
  private pool?: DatabasePool;

  readonly dbPoolInUse = this.poolGauge(
    'attestation_db_pool_in_use',
    'database connections running a query or a transaction',
    (p) => p.numUsed(),
  );
  readonly dbPoolIdle = this.poolGauge('attestation_db_pool_idle', 'database connections open and free', (p) =>
    p.numFree(),
  );
  readonly dbPoolWaiting = this.poolGauge(
    'attestation_db_pool_waiting',
    'queries waiting for a free database connection',
    (p) => p.numPendingAcquires(),
  );

  readonly dbPoolMax = new Gauge({
    name: 'attestation_db_pool_max',
    help: 'database connections this instance may open (DATABASE_POOL_MAX)',
    registers: [this.registry],
  });

  readonly dbErrors = new Counter({
    name: 'attestation_db_errors_total',
    help: 'failed database statements by kind: statement_timeout, deadlock, lock_timeout, constraint, connection, other',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  private poolGauge(name: string, help: string, read: (pool: DatabasePool) => number): Gauge {
    const current = () => this.pool; // `collect` runs with the gauge as `this`
    return new Gauge({
      name,
      help,
      registers: [this.registry],
      collect() {
        const pool = current();
        if (pool) this.set(read(pool));
      },
    });
  }

  /** the pool gauges follow this pool; `count` is to be called with every failed statement */
  watchDatabase(pool: DatabasePool, max: number): (error: unknown) => void {
    this.pool = pool;
    this.dbPoolMax.set(max);
    return (error) => this.dbErrors.inc({ kind: databaseErrorKind(error) });
  }

  // ---- Redis, pub/sub and presence (issue 9: degrade, never crash; bounded fan-out) ----

  readonly redisConnected = new Gauge({
    name: 'attestation_redis_connected',
    help: '1 while every Redis connection of this instance is ready (0 also when Redis is not used)',
    registers: [this.registry],
  });

  readonly publishFailures = new Counter({
    name: 'attestation_pubsub_publish_failures_total',
    help: 'events that could not be published to Redis (their exams are resynced when it returns)',
    registers: [this.registry],
  });

  readonly resyncs = new Counter({
    name: 'attestation_pubsub_resyncs_total',
    help: 'times this instance told its subscribers to re-read after Redis returned',
    registers: [this.registry],
  });

  readonly droppedSubscribers = new Counter({
    name: 'attestation_subscription_consumers_dropped_total',
    help: 'subscribers closed (code 1013) because SUBSCRIPTION_QUEUE_MAX pushes waited for them',
    registers: [this.registry],
  });

  readonly queuedPushes = new Gauge({
    name: 'attestation_subscription_queued_pushes',
    help: 'pushes waiting in every subscriber queue of this instance, at scrape time',
    registers: [this.registry],
  });

  readonly deepestQueue = new Gauge({
    name: 'attestation_subscription_queue_depth_max',
    help: 'the longest subscriber queue of this instance, at scrape time',
    registers: [this.registry],
  });

  readonly presenceSweep = new Histogram({
    name: 'attestation_presence_sweep_seconds',
    help: 'one presence refresh and sweep (with Redis)',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly unhandledRejections = new Counter({
    name: 'attestation_unhandled_rejections_total',
    help: 'promise rejections nobody handled (logged, not fatal)',
    registers: [this.registry],
  });

  /** queue depths are read when scraped, so pushing costs nothing extra */
  observeSubscriptionQueues(queues: () => Iterable<{ depth: number }>): void {
    const scrape = () => {
      let total = 0;
      let deepest = 0;
      for (const queue of queues()) {
        total += queue.depth;
        if (queue.depth > deepest) deepest = queue.depth;
      }
      this.queuedPushes.set(total);
      this.deepestQueue.set(deepest);
    };
    for (const gauge of [this.queuedPushes, this.deepestQueue])
      (gauge as unknown as { collect: () => void }).collect = scrape;
  }

  constructor() {
    // includes nodejs_eventloop_lag_seconds and the event-loop lag percentiles
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 20 });
  }

  /** counts a subscription for its whole life */
  trackSubscriber(examId: string): () => void {
    this.subscribers.inc({ exam: examId });
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.subscribers.dec({ exam: examId });
    };
  }
}
