import 'reflect-metadata';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express, { type Request } from 'express';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { WebSocketServer, type WebSocket } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import type { MikroORM } from '@mikro-orm/core';
import type { Config } from './config';
import type { Context } from './context';
import { formatError } from './common/error-format';
import { inputRefusal, limitRules, prepareOperation, withoutSuggestions } from './common/request-limits';
import { graphqlTokenLimit, logSocketErrors, metricsAccess, notFound, requestErrorStatus, securityHeaders, transportErrorHandler } from './common/http-guards';
import { initORM } from './orm';
import { createSchema } from './schema';
import { createServices, type Services } from './services';
import { fileRoutes } from './modules/files/file.routes';
import { seedDemo } from './seeders/demo.seeder';
import { logger } from './common/logger';
import { connectRedis, type RedisConnections } from './common/redis';
import { pinoHttp } from 'pino-http';
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

/** Builds and starts the whole server: used by main.ts and by every spec, on a port of its choosing (0 = free). */
export async function createApp(config: Config): Promise<RunningApp> {
  const orm = await initORM(config);
  if (config.seedDemo) {
    const seeded = await seedDemo(orm.em.fork());
    if (seeded) console.log(seeded);
  }
  const redis: RedisConnections | undefined = config.redisUrl ? await connectRedis(config.redisUrl) : undefined;
  const services = createServices(config, fileSecret(config), redis);
  services.presence.onExpired = (examId, studentId) => {
    services.inFlight.add(services.sittings.connectionLost(orm.em.fork(), examId, studentId, new Date())
      .catch((error) => logger.error({ err: error, examId }, 'presence: could not record a lost connection')));
  };
  const schema = await createSchema();

  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders());
  const { metrics } = services;
  app.use(pinoHttp({
    logger,
    genReqId: (req, res) => {
      const id = (typeof req.headers['x-request-id'] === 'string' && req.headers['x-request-id'].slice(0, 100)) || randomUUID();
      res.setHeader('x-request-id', id);
      return id;
    },
    autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' || req.url === '/metrics' },
    serializers: { req: (req) => ({ id: req.id, method: req.method, url: String(req.url).split('?')[0] }) },
  }));
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
  // idle keep-alive sockets outlive a proxy's or a client's pool (60 s is common), so the server never closes one under a request
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;

  const limits = config.requestLimits;
  // a message larger than the HTTP body limit closes the socket with 1009 before it is read
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: config.maxRequestBytes });
  const wsCleanup = useServer<{ authorization?: unknown }, { isAlive?: boolean }>({
    schema,
    // a socket that never says connection_init is closed with 4408
    connectionInitWaitTimeout: config.wsInitTimeoutMs,
    context: async (ctx): Promise<Context> => {
      const em = orm.em.fork();
      const authorization = ctx.connectionParams?.authorization;
      return { em, services, user: await services.auth.userFromAuthorization(em, authorization) };
    },
    // the same limits as over HTTP; a refused operation gets its own `error` message and the socket stays open
    onSubscribe: (_ctx, _id, payload) => prepareOperation(schema, limits, payload),
    onError: (_ctx, _id, _payload, errors) => errors.map((e) => withoutSuggestions(formatError(e.toJSON(), e), limits)) as never,
    onNext: (_ctx, _id, _payload, _args, result) => {
      if (!('errors' in result) || !result.errors?.length) return result;
      return { ...result, errors: result.errors.map((e) => withoutSuggestions(formatError(e.toJSON(), e), limits)) } as never;
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
    formatError: (formatted, error) => withoutSuggestions(formatError(formatted, error), limits),
    includeStacktraceInErrorResponses: false,
    // the cost limits, and NoSchemaIntrospectionCustomRule when GRAPHQL_INTROSPECTION is off: one list for both transports
    validationRules: limitRules(limits),
    introspection: true,
    parseOptions: { maxTokens: limits.maxTokens },
    stopOnTerminationSignals: false, // main.ts owns the signals and stops everything in order
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Apollo's landing page loads its scripts from Apollo's CDN, which the Content-Security-Policy refuses
      ApolloServerPluginLandingPageDisabled(),
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
        async requestDidStart() {
          return {
            async didEncounterErrors({ errors }) {
              for (const error of errors) {
                const code = (error.originalError as { code?: string } | undefined)?.code ?? error.extensions?.code;
                metrics.graphqlErrors.inc({ code: typeof code === 'string' && /^[A-Z_]+$/.test(code) ? code : 'INTERNAL_SERVER_ERROR' });
              }
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
    return { em, services, authorization, user: await services.auth.userFromAuthorization(em, authorization) };
  };

  let shuttingDown = false;
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
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
  app.use('/graphql', express.json({ limit: config.maxRequestBytes }), graphqlTokenLimit(limits), expressMiddleware(apollo, { context: ({ req }) => contextFor(req) }));
  app.use('/files', fileRoutes(contextFor));

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
        // stop accepting, let in-flight requests finish (Apollo's drain), close sockets so clients reconnect elsewhere
        shuttingDown = true;
        clearInterval(heartbeat);
        for (const socket of wsServer.clients) socket.close(1001, 'server shutting down');
        await apollo.stop();
        await services.inFlight.settle();
        await services.presence.close();
        await redis?.close();
        await orm.close(true);
      })()),
  };
}
