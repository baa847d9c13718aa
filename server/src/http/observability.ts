import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { MikroORM } from '@mikro-orm/core';
import type { AbstractSqlConnection } from '@mikro-orm/knex';
import type { GraphQLFormattedError } from 'graphql';
import { requestLogging as requestLog } from '../common/request-log';
import { formatError } from '../common/error-format';
import { metricsAccess } from '../common/http-guards';
import { logContext } from '../common/logger';
import type { DatabasePool, Metrics } from '../common/metrics';
import type { RedisConnections } from '../common/redis';

/** One JSON line per request (not for the probes), named by the proxy's x-request-id or a fresh one, sent back as well. */
export function requestLogging(): RequestHandler {
  return requestLog((url) => url === '/healthz' || url === '/readyz' || url === '/metrics');
}

/** Request counts and durations by route. */
export function requestMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const route = req.path.startsWith('/graphql') ? 'graphql' : req.path.startsWith('/files') ? 'files' : 'app';
    const end = metrics.httpDuration.startTimer({ route });
    res.on('finish', () => {
      end();
      metrics.httpRequests.inc({ route, method: req.method, status: String(res.statusCode) });
    });
    next();
  };
}

/** Every line logged while serving a request names it; set after the body is read, since stream events lose the async context. */
export function withLogContext(req: Request, _res: Response, next: NextFunction): void {
  logContext.run({ reqId: String(req.id) }, next);
}

/** Formats an error for the client (logging the unexpected one) and counts it by the code the client sees: HTTP and WebSocket alike. */
export function errorReporter(metrics: Metrics) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const result = formatError(formatted, error);
    const code = result.extensions?.code;
    metrics.graphqlErrors.inc({ code: typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR' });
    return result;
  };
}

export type ErrorReporter = ReturnType<typeof errorReporter>;

/** Pool gauges read at scrape time; every failed statement counted by kind (knex emits query-error for each). */
export function watchDatabase(orm: MikroORM, metrics: Metrics): void {
  const knex = (orm.em.getConnection() as AbstractSqlConnection).getKnex();
  const pool = knex.client.pool as (DatabasePool & { max: number }) | undefined;
  if (!pool) return;
  const count = metrics.watchDatabase(pool, pool.max);
  knex.on('query-error', (error: unknown) => count(error));
}

export interface ProbeSources {
  orm: MikroORM;
  redis?: RedisConnections;
  metrics: Metrics;
  metricsToken?: string;
  shuttingDown: () => boolean;
}

/** /healthz (the process answers), /readyz (it can serve: database, Redis, not shutting down) and /metrics. */
export function probes({ orm, redis, metrics, metricsToken, shuttingDown }: ProbeSources): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (shuttingDown()) {
      // at once, without asking the database: balancers must see it while this instance still serves
      res.status(503).json({ status: 'not ready', checks: { instance: 'shutting down' } });
      return;
    }
    const checks: Record<string, string> = {};
    try {
      await orm.em.getConnection().execute('select 1');
      checks.database = 'ok';
    } catch {
      checks.database = 'unreachable';
    }
    if (redis) checks.redis = (await redis.command.ping().catch(() => 'unreachable')) === 'PONG' ? 'ok' : 'unreachable';
    if (shuttingDown()) checks.instance = 'shutting down';
    const ready = Object.values(checks).every((v) => v === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  });
  router.get('/metrics', metricsAccess(metricsToken), async (_req, res) => {
    res.set('Content-Type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
