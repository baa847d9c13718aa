import 'reflect-metadata';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { MikroORM } from '@mikro-orm/core';
import type { Config } from './config';
import { eventsChannel } from './common/events';
import { HttpDrain } from './common/http-drain';
import { notFound, securityHeaders, transportErrorHandler } from './common/http-guards';
import { lifecycleLogger, logger } from './common/logger';
import { Metrics } from './common/metrics';
import { connectRedis, type RedisConnections } from './common/redis';
import { graphqlOverHttp } from './http/graphql-http';
import { graphqlOverWebSocket } from './http/graphql-ws';
import { expressShapes, graphqlLane } from './http/graphql-lane';
import {
  errorReporter,
  probes,
  requestLogging,
  requestMetrics,
  watchDatabase,
  withLogContext,
} from './http/observability';
import { httpContext } from './http/request-context';
import { compressedResponses } from './http/compressed-responses';
import { atMost, CLOSE_OUT_MS, sleep } from './http/shutdown';
import { webApp } from './http/web-app';
import { revocationChannel } from './modules/auth/session-sockets';
import { fileSecret } from './modules/files/file-secret';
import { fileRoutes } from './modules/files/file.routes';
import { RequestTurns } from './common/turns';
import { dialectOf, initORM, sqliteFile } from './orm';
import { startCheckpoints } from './common/sqlite-checkpoint';
import { createSchema } from './schema';
import { seedDemo } from './seeders/demo.seeder';
import { createServices, type Services } from './services';

export interface RunningApp {
  url: string;
  wsUrl: string;
  port: number;
  orm: MikroORM;
  services: Services;
  stop(): Promise<void>;
}

/** The database (migrated, seeded when asked), Redis when configured, and the services with their background duties. */
async function startServices(config: Config) {
  const orm = await initORM(config);
  if (config.seedDemo) {
    const seeded = await seedDemo(orm.em.fork());
    if (seeded) lifecycleLogger.info(seeded);
  }
  const metrics = new Metrics();
  const redis: RedisConnections | undefined = config.redisUrl
    ? connectRedis(
        config.redisUrl,
        [eventsChannel(config.redisKeyPrefix), revocationChannel(config.redisKeyPrefix)],
        metrics,
      )
    : undefined;
  const services = createServices(config, fileSecret(config), redis, metrics);
  if (redis) {
    // after an outage: this instance's pages back into presence, then every subscriber re-reads
    redis.onRestored(async () => {
      const rebuilt = (await services.presence.rebuild?.()) ?? [];
      await services.events.recover(rebuilt);
      metrics.resyncs.inc();
    });
    if (!(await redis.ready(config.redisStartWaitMs))) {
      logger.warn(
        { waitedMs: config.redisStartWaitMs },
        'starting without Redis: serving with pushes and presence on this instance only until it answers (retrying every second; /readyz answers 503 meanwhile)',
      );
    }
  }
  const stopSweeping = await services.files.store.keepIncomingSwept(); // partial uploads a crash left behind
  services.presence.onExpired = (examId, studentId) => {
    services.inFlight.add(
      services.sittings
        .connectionLost(orm.em.fork(), examId, studentId, new Date())
        .catch((error) => logger.error({ err: error, examId }, 'presence: could not record a lost connection')),
    );
  };
  // drafts due at their end are sent with every page closed; a sweep cut by shutdown is awaited as in-flight work
  const stopAutoSend = services.draftSender.start(
    orm,
    () => services.now(),
    (work) => services.inFlight.add(work),
  );
  // issue 13: the grade feed's webhooks; every instance polls, each endpoint is claimed by one (webhook-sender.ts)
  const stopWebhooks = services.webhookSender.start(
    orm,
    () => services.now(),
    (work) => services.inFlight.add(work),
  );
  watchDatabase(orm, metrics);
  // SQLite: the WAL is checkpointed by a thread of its own, not inside a commit on the event loop
  const stopCheckpoints =
    dialectOf(config) === 'sqlite' && config.sqliteCheckpointMs
      ? startCheckpoints(sqliteFile(config.dataDir), config.sqliteCheckpointMs, config.sqliteSynchronous)
      : async () => undefined;
  return { orm, metrics, redis, services, stopSweeping, stopAutoSend, stopWebhooks, stopCheckpoints };
}

/**
 * Builds and starts the whole server: used by main.ts and by every spec, on a port of its choosing (0 = free).
 * One HTTP server carries the parts of http/: observability (logs, metrics, probes), GraphQL over HTTP and over
 * WebSocket on /graphql, the /files routes and the built web app.
 */
export async function createApp(config: Config): Promise<RunningApp> {
  const { orm, metrics, redis, services, stopSweeping, stopAutoSend, stopWebhooks, stopCheckpoints } =
    await startServices(config);
  const schema = await createSchema();

  const app = express();
  app.disable('x-powered-by');
  // no ETag on API answers (a hash of every GraphQL response, never revalidated: POSTs); static files keep their own
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy);
  // before any route, for every request (also run by the lane for POST /graphql, in this order)
  const front = [securityHeaders(), requestLogging(), requestMetrics(metrics), compressedResponses(config.compression)];
  app.use(...front);
  // requests and responses born with Express's prototypes (graphql-lane.ts); the request listener is added below
  const shapes = expressShapes(app);
  const httpServer = http.createServer(shapes);
  const drain = new HttpDrain(httpServer);
  // idle keep-alive sockets outlive a proxy's or a client's pool (60 s is common), so the server never closes one under a request
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;

  const reportError = errorReporter(metrics);
  const contextFor = httpContext(orm, services);
  // GraphQL over HTTP and the file routes start their requests from one queue, one a turn of the event loop
  const turns = new RequestTurns(config.requestQueueMax);
  const sockets = graphqlOverWebSocket({
    httpServer,
    schema,
    config,
    orm,
    services,
    metrics,
    reportError,
    trustProxy: app.get('trust proxy fn'),
  });
  const graphql = await graphqlOverHttp({
    schema,
    config,
    services,
    contextFor,
    reportError,
    turns,
    drainServer: sockets.dispose,
  });

  let shuttingDown = false;
  app.use(probes({ orm, redis, metrics, metricsToken: config.metricsToken, shuttingDown: () => shuttingDown }));
  app.use(graphql.router);
  app.use('/files', withLogContext, fileRoutes(contextFor, turns));
  const web = webApp(config.clientDir);
  if (web) app.use(web);
  app.use(notFound);
  const errors = transportErrorHandler(config.maxRequestBytes);
  app.use(errors);
  // POST /graphql through the same middlewares without Express's router (graphql-lane.ts); everything else: Express
  const lane = graphqlLane({ app, front, graphql: graphql.handlers, notFound, errors, shapes });
  httpServer.on('request', (req, res) => lane(req, res) || app(req, res));

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const host = config.host === '0.0.0.0' ? 'localhost' : config.host;

  let stopping: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    wsUrl: `ws://${host}:${port}/graphql`,
    port,
    orm,
    services,
    stop: () =>
      (stopping ??= (async () => {
        // 503 on /readyz at once while still serving (every response saying Connection: close), so balancers move away first
        shuttingDown = true;
        drain.begin();
        await sleep(config.shutdownDelayMs);
        // then stop accepting, tell WebSocket clients to reconnect elsewhere, let in-flight requests finish within the grace
        stopSweeping();
        stopAutoSend();
        stopWebhooks();
        sockets.closeAll();
        const cut = await drain.close(config.shutdownGraceMs, () => sockets.terminateAll());
        if (cut)
          logger.warn(
            { cut },
            `shutdown: cut ${cut} request(s) still running after SHUTDOWN_GRACE_MS (${config.shutdownGraceMs} ms)`,
          );
        const closeBy = Date.now() + CLOSE_OUT_MS;
        const left = () => Math.max(200, closeBy - Date.now());
        await atMost(left(), graphql.stop(), 'Apollo');
        await atMost(left(), services.inFlight.settle(), 'background work');
        await atMost(left(), services.presence.close(), 'presence');
        services.sessionSockets.close();
        services.sessionCache.close();
        if (redis) await atMost(left(), redis.close(), 'Redis');
        await atMost(left(), stopCheckpoints(), 'SQLite checkpoints');
        await atMost(left(), orm.close(true), 'the database pool');
      })()),
  };
}
