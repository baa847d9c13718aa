import 'reflect-metadata';
import fs from 'node:fs';
import http, { type IncomingMessage } from 'node:http';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { WebSocketServer, type WebSocket } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { Config } from './config';
import type { Context } from './context';
import { execute, getOperationAST, type ExecutionArgs, type GraphQLFormattedError } from 'graphql';
import { formatError } from './common/error-format';
import { subscribeSharing } from './common/shared-push';
import { inputRefusal, limitRules, prepareOperation, withoutSuggestions } from './common/request-limits';
import { graphqlTokenLimit, logSocketErrors, metricsAccess, notFound, requestErrorStatus, securityHeaders, transportErrorHandler } from './common/http-guards';
import { initORM } from './orm';
import { createSchema } from './schema';
import { createServices, type Services } from './services';
import { fileRoutes } from './modules/files/file.routes';
import { seedDemo } from './seeders/demo.seeder';
import { lifecycleLogger, logContext, logger } from './common/logger';
import { requestLogging } from './common/request-log';
import { HttpDrain } from './common/http-drain';
import { requestTurns } from './common/turns';
import { Metrics, type DatabasePool } from './common/metrics';
import type { AbstractSqlConnection } from '@mikro-orm/knex';
import { connectRedis, type RedisConnections } from './common/redis';
import { EVENTS_CHANNEL } from './common/events';
import { revocationChannel } from './modules/auth/session-sockets';
import type { LiveSession } from './modules/auth/auth.service';
import { randomUUID } from 'node:crypto';

export interface RunningApp {
  url: string;
  wsUrl: string;
  port: number;
  orm: MikroORM;
  services: Services;
  stop(): Promise<void>;
}

/** The secret that signs file download addresses; kept in DATA_DIR so every instance and restart shares it. */
function fileSecret(config: Config): Buffer {
  if (process.env.FILE_URL_SECRET) return Buffer.from(process.env.FILE_URL_SECRET);
  const file = path.join(config.dataDir, 'file-url.secret');
  fs.mkdirSync(config.dataDir, { recursive: true });
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
  return Buffer.from(fs.readFileSync(file, 'utf8').trim());
}

/** The client's address of a WebSocket upgrade, walking X-Forwarded-For as Express does for `req.ip` (TRUST_PROXY). */
function socketClientAddress(request: IncomingMessage, trusted: (address: string, hop: number) => boolean): string | undefined {
  const forwarded = String(request.headers['x-forwarded-for'] ?? '').split(',').map((a) => a.trim()).filter(Boolean).reverse();
  const chain = [request.socket.remoteAddress ?? '', ...forwarded];
  let hop = 0;
  while (hop < chain.length - 1 && trusted(chain[hop], hop)) hop++;
  return chain[hop] || undefined;
}

/** Formats an error for the client (logging the unexpected one) and counts it by the code the client sees: HTTP and WebSocket alike. */
function errorReporter(metrics: Metrics) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const result = formatError(formatted, error);
    const code = result.extensions?.code;
    metrics.graphqlErrors.inc({ code: typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR' });
    return result;
  };
}

/** Every line logged while serving a request names it; set after the body is read, since stream events lose the async context. */
function withLogContext(req: Request, _res: Response, next: NextFunction): void {
  logContext.run({ reqId: String(req.id) }, next);
}

/** The request id of one WebSocket operation: `<connection id>:<operation id>` (the connection's id is its upgrade request's x-request-id when a proxy set one). */
function wsRequestId(extra: { connectionId?: string }, operationId: string): string {
  return `${extra.connectionId ?? 'ws'}:${operationId.slice(0, 64)}`;
}

/** the operation's name as written in the document (clients need not send operationName) */
const operationNameOf = (args: ExecutionArgs) => getOperationAST(args.document, args.operationName)?.name?.value;

/** Runs a WebSocket operation's execution inside its log context. */
function inWsLogContext<T>(run: (args: ExecutionArgs) => T) {
  return (args: ExecutionArgs): T => {
    const requestId = (args.contextValue as Context | undefined)?.requestId;
    return logContext.run({ reqId: requestId, operation: operationNameOf(args) }, () => run(args));
  };
}

/** Pool gauges read at scrape time; every failed statement counted by kind (knex emits query-error for each). */
function watchDatabase(orm: MikroORM, metrics: Metrics): void {
  const knex = (orm.em.getConnection() as AbstractSqlConnection).getKnex();
  const pool = knex.client.pool as (DatabasePool & { max: number }) | undefined;
  if (!pool) return;
  const count = metrics.watchDatabase(pool, pool.max);
  knex.on('query-error', (error: unknown) => count(error));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits for a closing step, but no longer than ms: after the grace nothing may hold the exit (a slow query included). */
async function atMost(ms: number, step: Promise<unknown>, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const done = await Promise.race([step.then(() => true, (error) => {
    logger.warn({ err: error }, `shutdown: ${what} failed`);
    return true;
  }), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)))]);
  clearTimeout(timer);
  if (!done) logger.warn(`shutdown: ${what} did not finish within ${ms} ms; leaving it to the exit`);
}

/** after the grace: how long closing Apollo, Redis and the database may take together before the exit ends them */
const CLOSE_OUT_MS = 5_000;

/** Builds and starts the whole server: used by main.ts and by every spec, on a port of its choosing (0 = free). */
export async function createApp(config: Config): Promise<RunningApp> {
  const orm = await initORM(config);
  if (config.seedDemo) {
    const seeded = await seedDemo(orm.em.fork());
    if (seeded) lifecycleLogger.info(seeded);
  }
  const metrics = new Metrics();
  const redis: RedisConnections | undefined = config.redisUrl ? connectRedis(config.redisUrl, [EVENTS_CHANNEL, revocationChannel(config.redisKeyPrefix)], metrics) : undefined;
  const services = createServices(config, fileSecret(config), redis, metrics);
  if (redis) {
    // after an outage: this instance's pages back into presence, then every subscriber re-reads
    redis.onRestored(async () => {
      const rebuilt = (await services.presence.rebuild?.()) ?? [];
      await services.events.recover(rebuilt);
      metrics.resyncs.inc();
    });
    if (!(await redis.ready(config.redisStartWaitMs))) {
      logger.warn({ waitedMs: config.redisStartWaitMs },
        'starting without Redis: serving with pushes and presence on this instance only until it answers (retrying every second; /readyz answers 503 meanwhile)');
    }
  }
  const stopSweeping = await services.files.store.keepIncomingSwept(); // partial uploads a crash left behind
  services.presence.onExpired = (examId, studentId) => {
    services.inFlight.add(services.sittings.connectionLost(orm.em.fork(), examId, studentId, new Date())
      .catch((error) => logger.error({ err: error, examId }, 'presence: could not record a lost connection')));
  };
  watchDatabase(orm, services.metrics);
  const schema = await createSchema();

  const app = express();
  app.disable('x-powered-by');
  // no ETag on API answers (a hash of every GraphQL response, never revalidated: POSTs); static files keep their own
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy);
  app.use(securityHeaders());
  app.use(requestLogging((url) => url === '/healthz' || url === '/readyz' || url === '/metrics'));
  app.use((req, res, next) => {
    const route = req.path.startsWith('/graphql') ? 'graphql' : req.path.startsWith('/files') ? 'files' : 'app';
    const end = metrics.httpDuration.startTimer({ route });
    res.on('finish', () => {
      end();
      metrics.httpRequests.inc({ route, method: req.method, status: String(res.statusCode) });
    });
    next();
  });
  const httpServer = http.createServer(app);
  const drain = new HttpDrain(httpServer);
  const reportError = errorReporter(metrics);
  // idle keep-alive sockets outlive a proxy's or a client's pool (60 s is common), so the server never closes one under a request
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;

  const limits = config.requestLimits;
  // a message larger than the HTTP body limit closes the socket with 1009 before it is read
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: config.maxRequestBytes });
  const wsCleanup = useServer<{ authorization?: unknown }, { isAlive?: boolean; connectionId?: string; session?: LiveSession | null }>({
    schema,
    isProd: true, // close reasons never carry an error's message (it may hold SQL) to the client
    // a socket that never says connection_init is closed with 4408
    connectionInitWaitTimeout: config.wsInitTimeoutMs,
    context: async (ctx, id, _payload, args): Promise<Context> => {
      // forked on first use: a subscription on a known session reads nothing here
      let em: EntityManager | undefined;
      const authorization = typeof ctx.connectionParams?.authorization === 'string' ? ctx.connectionParams.authorization : undefined;
      // a subscription uses the session read once for the socket (whose end closes it); queries and mutations read it afresh
      const subscribing = getOperationAST(args.document, args.operationName)?.operation === 'subscription';
      const known = ctx.extra.session;
      const session = subscribing && known !== undefined ? (known && known.expiresAt.getTime() > Date.now() ? known : null)
        : await services.auth.sessionFromAuthorization((em = orm.em.fork()), authorization);
      return {
        // forked again when needed after `idle()`: a subscription holds no reads between its pushes
        get em() {
          return (em ??= orm.em.fork());
        },
        set em(value) {
          em = value;
        },
        idle: () => (em = undefined),
        services, authorization, session, requestId: wsRequestId(ctx.extra, id), user: session?.user ?? null, clientAddress: socketClientAddress(ctx.extra.request, app.get('trust proxy fn')),
        closeSocket: (code, reason) => ctx.extra.socket.close(code, reason) };
    },
    // a socket opened with a live session is closed (4401) the moment that session ends
    onConnect: async (ctx) => {
      const fromProxy = ctx.extra.request.headers['x-request-id'];
      ctx.extra.connectionId = (typeof fromProxy === 'string' && fromProxy.slice(0, 100)) || randomUUID();
      try {
        const session = await services.auth.socketSession(orm.em.fork(), ctx.connectionParams?.authorization);
        ctx.extra.session = session;
        if (session) services.sessionSockets.track(session.id, session.expiresAt, ctx.extra.socket);
      } catch (error) {
        logger.error({ err: error }, 'websocket: could not look up the session of a new socket');
      }
    },
    execute: inWsLogContext(execute),
    // a push whose execution is the same for all its subscribers (SharedPush) is executed once for them all
    subscribe: inWsLogContext((args) => subscribeSharing(args)),
    // the same limits as over HTTP; a refused operation gets its own `error` message and the socket stays open
    onSubscribe: (_ctx, _id, payload) => prepareOperation(schema, limits, payload),
    onError: (ctx, id, payload, errors) => logContext.run({ reqId: wsRequestId(ctx.extra, id), operation: payload.operationName ?? undefined },
      () => errors.map((e) => withoutSuggestions(reportError(e.toJSON(), e), limits))) as never,
    onNext: (ctx, id, _payload, args, result) => {
      (args.contextValue as Context).pushBuilt?.(); // built: the next push may be built while this one is sent
      if (!('errors' in result) || !result.errors?.length) return result;
      return logContext.run({ reqId: wsRequestId(ctx.extra, id), operation: operationNameOf(args) },
        () => ({ ...result, errors: result.errors!.map((e) => withoutSuggestions(reportError(e.toJSON(), e), limits)) })) as never;
    },
  }, wsServer);

  // R2.1 "no heartbeat": a socket that does not answer a ping within one interval is closed, which ends its subscriptions
  const alive = new WeakMap<WebSocket, boolean>();
  wsServer.on('connection', (socket) => {
    logSocketErrors(socket);
    metrics.openSockets.inc();
    socket.on('close', () => metrics.openSockets.dec());
    alive.set(socket, true);
    socket.on('pong', () => alive.set(socket, true));
  });
  const heartbeat = setInterval(() => {
    for (const socket of wsServer.clients) {
      if (!alive.get(socket)) {
        socket.terminate();
        continue;
      }
      alive.set(socket, false);
      socket.ping();
    }
  }, config.heartbeatMs);
  heartbeat.unref();

  const apollo = new ApolloServer<Context>({
    schema,
    formatError: (formatted, error) => withoutSuggestions(reportError(formatted, error), limits),
    logger: logger.child({ component: 'apollo' }),
    includeStacktraceInErrorResponses: false,
    // the cost limits, and NoSchemaIntrospectionCustomRule when GRAPHQL_INTROSPECTION is off: one list for both transports
    validationRules: limitRules(limits),
    introspection: true,
    parseOptions: { maxTokens: limits.maxTokens },
    stopOnTerminationSignals: false, // main.ts owns the signals and stops everything in order
    plugins: [
      // no Apollo drain plugin: it ends idle keep-alive sockets unannounced (resets); stop() drains through HttpDrain
      // Apollo's landing page loads its scripts from Apollo's CDN, which the Content-Security-Policy refuses
      ApolloServerPluginLandingPageDisabled(),
      // no cache hints in this schema: Apollo's default cache-control plugin would only wrap every field's resolver
      ApolloServerPluginCacheControlDisabled(),
      requestErrorStatus,
      {
        // PostgreSQL cannot store a NUL character; refuse it (and too deep variables) up front, on either database
        async requestDidStart() {
          return {
            async didResolveOperation({ document, request }) {
              const refusal = inputRefusal(document, request.variables, limits);
              if (refusal) throw refusal;
            },
          };
        },
      },
      {
        // error lines name the operation as well as the request
        async requestDidStart({ request }) {
          const origin = logContext.getStore();
          if (origin) origin.operation = request.operationName ?? undefined;
          return {
            async didResolveOperation({ operationName }) {
              if (origin) origin.operation = operationName ?? undefined;
            },
          };
        },
      },
      { async serverWillStart() { return { async drainServer() { await wsCleanup.dispose(); } }; } },
    ],
  });
  await apollo.start();

  const contextFor = async (req: Request): Promise<Context> => {
    const em = orm.em.fork();
    const authorization = req.headers.authorization;
    const session = await services.auth.sessionFromAuthorization(em, authorization);
    return { em, services, authorization, session, requestId: String(req.id), user: session?.user ?? null, clientAddress: req.ip };
  };
  /** GraphQL over HTTP: requests without a valid token are limited per client address (429 beyond) */
  const graphqlContext = async (req: Request): Promise<Context> => {
    const ctx = await contextFor(req);
    if (!ctx.user) await services.rateLimits.anonymousRequest(ctx.clientAddress);
    return ctx;
  };

  let shuttingDown = false;
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    if (shuttingDown) {
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
    if (shuttingDown) checks.instance = 'shutting down';
    const ready = Object.values(checks).every((v) => v === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  });
  app.get('/metrics', metricsAccess(config.metricsToken), async (_req, res) => {
    res.set('Content-Type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.use('/graphql', requestTurns(config.requestQueueMax)); // a burst of requests starts one per turn of the event loop (common/turns.ts)
  app.use('/graphql', express.json({ limit: config.maxRequestBytes }), withLogContext, graphqlTokenLimit(limits), expressMiddleware(apollo, { context: ({ req }) => graphqlContext(req) }));
  app.use('/files', withLogContext, fileRoutes(contextFor));

  if (config.clientDir && fs.existsSync(path.join(config.clientDir, 'index.html'))) {
    app.use(express.static(config.clientDir, { index: false, maxAge: '1h' }));
    app.get(/^\/(?!graphql|files).*/, (_req, res) => res.sendFile(path.join(config.clientDir!, 'index.html')));
  }

  app.use(notFound);
  app.use(transportErrorHandler(config.maxRequestBytes));

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
        clearInterval(heartbeat);
        stopSweeping();
        for (const socket of wsServer.clients) socket.close(1001, 'server shutting down');
        const cut = await drain.close(config.shutdownGraceMs, () => {
          for (const socket of wsServer.clients) socket.terminate();
        });
        if (cut) logger.warn({ cut }, `shutdown: cut ${cut} request(s) still running after SHUTDOWN_GRACE_MS (${config.shutdownGraceMs} ms)`);
        const closeBy = Date.now() + CLOSE_OUT_MS;
        const left = () => Math.max(200, closeBy - Date.now());
        await atMost(left(), apollo.stop(), 'Apollo');
        await atMost(left(), services.inFlight.settle(), 'background work');
        await atMost(left(), services.presence.close(), 'presence');
        services.sessionSockets.close();
        if (redis) await atMost(left(), redis.close(), 'Redis');
        await atMost(left(), orm.close(true), 'the database pool');
      })()),
  };
}
