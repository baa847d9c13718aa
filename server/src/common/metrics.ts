import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one server instance, served at /metrics. */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'attestation_http_requests_total', help: 'HTTP requests by route kind, method and status',
    labelNames: ['route', 'method', 'status'] as const, registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'attestation_http_request_duration_seconds', help: 'HTTP request duration',
    labelNames: ['route'] as const, buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [this.registry],
  });

  readonly graphqlErrors = new Counter({
    name: 'attestation_graphql_errors_total', help: 'GraphQL errors by extensions.code',
    labelNames: ['code'] as const, registers: [this.registry],
  });

  readonly subscribers = new Gauge({
    name: 'attestation_exam_subscribers', help: 'open subscriptions per exam',
    labelNames: ['exam'] as const, registers: [this.registry],
  });

  readonly openSockets = new Gauge({ name: 'attestation_open_websockets', help: 'open WebSocket connections', registers: [this.registry] });

  // ---- Redis, pub/sub and presence (issue 9: degrade, never crash; bounded fan-out) ----

  readonly redisConnected = new Gauge({ name: 'attestation_redis_connected', help: '1 while every Redis connection of this instance is ready (0 also when Redis is not used)', registers: [this.registry] });

  readonly publishFailures = new Counter({ name: 'attestation_pubsub_publish_failures_total', help: 'events that could not be published to Redis (their exams are resynced when it returns)', registers: [this.registry] });

  readonly resyncs = new Counter({ name: 'attestation_pubsub_resyncs_total', help: 'times this instance told its subscribers to re-read after Redis returned', registers: [this.registry] });

  readonly droppedSubscribers = new Counter({ name: 'attestation_subscription_consumers_dropped_total', help: 'subscribers closed (code 1013) because SUBSCRIPTION_QUEUE_MAX pushes waited for them', registers: [this.registry] });

  readonly queuedPushes = new Gauge({ name: 'attestation_subscription_queued_pushes', help: 'pushes waiting in every subscriber queue of this instance, at scrape time', registers: [this.registry] });

  readonly deepestQueue = new Gauge({ name: 'attestation_subscription_queue_depth_max', help: 'the longest subscriber queue of this instance, at scrape time', registers: [this.registry] });

  readonly presenceSweep = new Histogram({
    name: 'attestation_presence_sweep_seconds', help: 'one presence refresh and sweep (with Redis)',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [this.registry],
  });

  readonly unhandledRejections = new Counter({ name: 'attestation_unhandled_rejections_total', help: 'promise rejections nobody handled (logged, not fatal)', registers: [this.registry] });

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
    for (const gauge of [this.queuedPushes, this.deepestQueue]) (gauge as unknown as { collect: () => void }).collect = scrape;
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
