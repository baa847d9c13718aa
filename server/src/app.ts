import 'reflect-metadata';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { WebSocketServer, type WebSocket } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import type { MikroORM } from '@mikro-orm/core';
import type { Config } from './config';
import type { Context } from './context';
import { parse, visit, type DocumentNode } from 'graphql';
import { formatError } from './common/error-format';
import { BadUserInputError } from './common/errors';
import { initORM } from './orm';
import { createSchema } from './schema';
import { createServices, type Services } from './services';
import { fileRoutes } from './modules/files/file.routes';
import { seedDemo } from './seeders/demo.seeder';
import { logger } from './common/logger';
import { connectRedis, type RedisConnections } from './common/redis';
import { EVENTS_CHANNEL } from './common/events';
import { Metrics } from './common/metrics';
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

/** true when an argument (inline or a variable, at any depth) holds a NUL character */
function containsNul(document: DocumentNode, variables: unknown): boolean {
  const inValue = (value: unknown): boolean =>
    typeof value === 'string' ? value.includes('\0')
      : Array.isArray(value) ? value.some(inValue)
        : value !== null && typeof value === 'object' ? Object.values(value).some(inValue) : false;
  let found = inValue(variables);
  visit(document, { StringValue: (node) => { if (node.value.includes('\0')) found = true; } });
  return found;
}
const nulRefusal = () => new BadUserInputError('Text may not contain the NUL character (\\u0000); remove it and try again.');

/** Builds and starts the whole server: used by main.ts and by every spec, on a port of its choosing (0 = free). */
export async function createApp(config: Config): Promise<RunningApp> {
  const orm = await initORM(config);
  if (config.seedDemo) {
    const seeded = await seedDemo(orm.em.fork());
    if (seeded) console.log(seeded);
  }
  const metrics = new Metrics();
  const redis: RedisConnections | undefined = config.redisUrl ? connectRedis(config.redisUrl, [EVENTS_CHANNEL], metrics) : undefined;
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
  services.presence.onExpired = (examId, studentId) => {
    services.inFlight.add(services.sittings.connectionLost(orm.em.fork(), examId, studentId, new Date())
      .catch((error) => logger.error({ err: error, examId }, 'presence: could not record a lost connection')));
  };
  const schema = await createSchema();

  const app = express();
  app.disable('x-powered-by');
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

  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const wsCleanup = useServer<{ authorization?: unknown }, { isAlive?: boolean }>({
    schema,
    context: async (ctx): Promise<Context> => {
      const em = orm.em.fork();
      const authorization = ctx.connectionParams?.authorization;
      const { socket } = ctx.extra;
      return { em, services, user: await services.auth.userFromAuthorization(em, authorization), closeSocket: (code, reason) => socket.close(code, reason) };
    },
    onSubscribe: (_ctx, _id, payload) => {
      if (containsNul(parse(payload.query), payload.variables)) return [nulRefusal()];
    },
    onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatError(e.toJSON(), e)) as never,
    onNext: (_ctx, _id, _payload, args, result) => {
      (args.contextValue as Context).pushBuilt?.(); // built: the next push may be built while this one is sent
      if (!('errors' in result) || !result.errors?.length) return result;
      return { ...result, errors: result.errors.map((e) => formatError(e.toJSON(), e)) } as never;
    },
  }, wsServer);

  // R2.1 "no heartbeat": a socket that does not answer a ping within one interval is closed, which ends its subscriptions
  const alive = new WeakMap<WebSocket, boolean>();
  wsServer.on('connection', (socket) => {
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
    formatError,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false, // main.ts owns the signals and stops everything in order
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      {
        // PostgreSQL cannot store a NUL character; refuse it up front for every argument, on either database
        async requestDidStart() {
          return {
            async didResolveOperation({ document, request }) {
              if (containsNul(document, request.variables)) throw nulRefusal();
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
  app.get('/metrics', async (_req, res) => {
    res.set('Content-Type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.use('/graphql', express.json({ limit: '2mb' }), expressMiddleware(apollo, { context: ({ req }) => contextFor(req) }));
  app.use('/files', fileRoutes(contextFor));

  if (config.clientDir && fs.existsSync(path.join(config.clientDir, 'index.html'))) {
    app.use(express.static(config.clientDir, { index: false, maxAge: '1h' }));
    app.get(/^\/(?!graphql|files).*/, (_req, res) => res.sendFile(path.join(config.clientDir!, 'index.html')));
  }

  app.use((error: Error & { status?: number; type?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    if (error.status && error.status < 500) {
      res.status(error.status).json({ errors: [{ message: 'The request could not be read; send JSON no larger than 2 MB.', extensions: { code: 'BAD_REQUEST' } }] });
      return;
    }
    logger.error({ err: error }, 'unexpected error');
    res.status(500).json({ errors: [{ message: 'Something went wrong on the server; please try again.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
  });

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
