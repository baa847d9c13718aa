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

  readonly rateLimited = new Counter({
    name: 'attestation_rate_limited_total', help: 'requests refused by a rate limit, by limit',
    labelNames: ['limit'] as const, registers: [this.registry],
  });

  readonly loginLocks = new Counter({
    name: 'attestation_login_locks_total', help: 'logins or client addresses locked after too many failed sign-ins',
    labelNames: ['scope'] as const, registers: [this.registry],
  });

  readonly loginsSlowed = new Counter({ name: 'attestation_logins_slowed_total', help: 'sign-ins answered after a slowdown for earlier failures', registers: [this.registry] });

  readonly openSockets = new Gauge({ name: 'attestation_open_websockets', help: 'open WebSocket connections', registers: [this.registry] });

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
