import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { MikroORM } from '@mikro-orm/core';
import { execute, getOperationAST, type ExecutionArgs, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { subscribeSharing } from '../common/shared-push';
import { pushExecution } from '../common/compiled-execution';
import { interned, serveGraphqlWs, type SendNext } from './ws-transport';
import type { Context as WsContext, SubscribePayload } from 'graphql-ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Config } from '../config';
import { OperationContext, type Context } from '../context';
import { plainSql, type PlainSql } from '../common/plain-sql';
import { logSocketErrors } from '../common/http-guards';
import { logContext, logger } from '../common/logger';
import type { Metrics } from '../common/metrics';
import { prepareOperation, withoutSuggestions } from '../common/request-limits';
import type { LiveSession } from '../modules/auth/auth.service';
import type { Services } from '../services';
import { ApiClientService, type ApiPrincipal } from '../modules/api-clients/api-client.service';
import { apiClientSocket, apiClientWsContext } from '../modules/api-clients/client-context';
import type { ErrorReporter } from './observability';

/** The client's address of a WebSocket upgrade, walking X-Forwarded-For as Express does for `req.ip` (TRUST_PROXY). */
function socketClientAddress(
  request: IncomingMessage,
  trusted: (address: string, hop: number) => boolean,
): string | undefined {
  const forwarded = String(request.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean)
    .reverse();
  const chain = [request.socket.remoteAddress ?? '', ...forwarded];
  let hop = 0;
  while (hop < chain.length - 1 && trusted(chain[hop], hop)) hop++;
  return chain[hop] || undefined;
}

/** The request id of one WebSocket operation: `<connection id>:<operation id>` (the connection's id is its upgrade request's x-request-id when a proxy set one). */
function wsRequestId(extra: { connectionId: string }, operationId: string): string {
  return `${extra.connectionId}:${operationId.slice(0, 64)}`;
}

/** the operation's name as written in the document (clients need not send operationName) */
const operationNameOf = (args: ExecutionArgs) => getOperationAST(args.document, args.operationName)?.name?.value;

/** sockets one turn of the heartbeat pings before it lets the event loop go on */
const PINGS_A_TURN = 500;

const runPush = (args: ExecutionArgs) => pushExecution.execute(args);

/** Runs a WebSocket operation's execution inside its log context. */
function inWsLogContext<T>(run: (args: ExecutionArgs) => T) {
  return (args: ExecutionArgs): T => {
    const requestId = (args.contextValue as Context | undefined)?.requestId;
    return logContext.run({ reqId: requestId, operation: operationNameOf(args) }, () => run(args));
  };
}

/** a push's execution, in its subscription's log context (a driven push is built in the turn its event is delivered in) */
const runPushLogged = inWsLogContext(runPush);

/**
 * The context of one WebSocket operation. A class, not an object literal: a subscription keeps its context for hours,
 * and methods on the prototype cost nothing per subscription where closures cost one each (thousands of sockets).
 */
class SocketOperationContext extends OperationContext {
  pushBuilt?: () => void;

  constructor(
    orm: MikroORM,
    sql: PlainSql,
    services: Services,
    authorization: string | undefined,
    session: LiveSession | null,
    requestId: string,
    clientAddress: string | undefined,
    private readonly socket: WebSocket,
    /** what its pushes are sent with, without graphql-ws's loop (see `sendNext`): one function for every socket */
    private readonly send: SendNext,
    /** graphql-ws's context of the socket, the operation's id and payload: what graphql-ws would send a push with */
    private readonly wsContext: WsContext<never, never>,
    private readonly operationId: string,
    private readonly payload: SubscribePayload,
  ) {
    // forked on first use: a subscription on a known session reads nothing at the start, nor between pushes
    super(orm, sql, services, authorization, session, requestId, clientAddress);
  }

  sendNext(args: ExecutionArgs, result: ExecutionResult, written: (error?: Error | null) => void): void {
    this.send(this.wsContext, this.operationId, this.payload, args, result, written);
  }

  /** a subscription holds no reads between its pushes */
  idle(): void {
    this.forget();
  }

  closeSocket(code: number, reason: string): void {
    this.socket.close(code, reason);
  }
}

export interface GraphqlOverWebSocketParts {
  httpServer: Server;
  schema: GraphQLSchema;
  config: Config;
  orm: MikroORM;
  services: Services;
  metrics: Metrics;
  reportError: ErrorReporter;
  /** Express's compiled `trust proxy` */
  trustProxy: (address: string, hop: number) => boolean;
}

/**
 * GraphQL over WebSocket (graphql-ws) on /graphql of the same server: the same schema and limits as over HTTP, a
 * context per operation, the socket closed when its session ends, and a heartbeat that closes silent sockets.
 */
export function graphqlOverWebSocket({
  httpServer,
  schema,
  config,
  orm,
  services,
  metrics,
  reportError,
  trustProxy,
}: GraphqlOverWebSocketParts) {
  const limits = config.requestLimits;
  const sendNext: SendNext = (...sent) => wsCleanup.sendNext(...sent);
  // a message larger than the HTTP body limit closes the socket with 1009 before it is read
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: config.maxRequestBytes });
  const sql = plainSql(orm.em); // the database's runner: the session is read without forking an EntityManager
  const wsCleanup = serveGraphqlWs<
    { authorization?: unknown },
    { connectionId: string; clientAddress?: string; session?: LiveSession | null; apiClient?: ApiPrincipal | null }
  >(
    {
      schema,
      // a socket that never says connection_init is closed with 4408
      connectionInitWaitTimeout: config.wsInitTimeoutMs,
      context: async (ctx, id, payload, args): Promise<Context> => {
        const authorization =
          typeof ctx.connectionParams?.authorization === 'string' ? ctx.connectionParams.authorization : undefined;
        // a subscription uses the session read once for the socket (whose end closes it); queries and mutations read it afresh
        const subscribing = getOperationAST(args.document, args.operationName)?.operation === 'subscription';
        if (ApiClientService.isApiToken(authorization))
          return apiClientWsContext(
            {
              orm,
              services,
              authorization,
              requestId: wsRequestId(ctx.extra, id),
              clientAddress: ctx.extra.clientAddress,
              closeSocket: (code, reason) => ctx.extra.socket.close(code, reason),
            },
            ctx.extra.apiClient,
            subscribing,
          );
        const known = ctx.extra.session;
        const session =
          subscribing && known !== undefined
            ? known && known.expiresAt.getTime() > Date.now()
              ? known
              : null
            : await services.auth.sessionFromAuthorization(sql, authorization);
        return new SocketOperationContext(
          orm,
          sql,
          services,
          authorization,
          session,
          wsRequestId(ctx.extra, id),
          ctx.extra.clientAddress,
          ctx.extra.socket,
          sendNext,
          ctx as WsContext<never, never>,
          id,
          payload,
        );
      },
      // a socket opened with a live session is closed (4401) the moment that session ends
      onConnect: async (ctx) => {
        try {
          if (ApiClientService.isApiToken(ctx.connectionParams?.authorization)) {
            // an API client's socket closes (4401) the moment the client is revoked
            ctx.extra.apiClient = await apiClientSocket(
              orm.em.fork(),
              services,
              ctx.connectionParams?.authorization,
              ctx.extra.socket,
            );
            return;
          }
          const session = await services.auth.socketSession(() => orm.em.fork(), ctx.connectionParams?.authorization);
          ctx.extra.session = session;
          if (session) services.sessionSockets.track(session.id, session.expiresAt, ctx.extra.socket);
        } catch (error) {
          logger.error({ err: error }, 'websocket: could not look up the session of a new socket');
        }
      },
      execute: inWsLogContext(execute),
      // a push whose execution is the same for all its subscribers (SharedPush) is executed once for them all; each
      // push runs its operation's compiled form (graphql-jit, compiled once per document and operation)
      subscribe: inWsLogContext((args) => subscribeSharing(args, runPushLogged)),
      // the same limits as over HTTP; a refused operation gets its own `error` message and the socket stays open
      onSubscribe: (_ctx, _id, payload) => {
        // the payload is kept for the subscription's life: its query text becomes the one shared string of that text
        if (typeof payload.query === 'string') (payload as { query: string }).query = interned(payload.query);
        return prepareOperation(schema, limits, payload);
      },
      onError: (ctx, id, payload, errors) =>
        logContext.run({ reqId: wsRequestId(ctx.extra, id), operation: payload.operationName ?? undefined }, () =>
          errors.map((e) => withoutSuggestions(reportError(e.toJSON(), e), limits)),
        ) as never,
      onNext: (ctx, id, _payload, args, result) => {
        (args.contextValue as Context).pushBuilt?.(); // built: the next push may be built while this one is sent
        if (!('errors' in result) || !result.errors?.length) return result;
        return logContext.run({ reqId: wsRequestId(ctx.extra, id), operation: operationNameOf(args) }, () => ({
          ...result,
          errors: result.errors!.map((e) => withoutSuggestions(reportError(e.toJSON(), e), limits)),
        })) as never;
      },
    },
    wsServer,
    // the connection's id (its upgrade request's x-request-id when a proxy set one) and the client's address
    (request) => {
      const fromProxy = request.headers['x-request-id'];
      return {
        connectionId: (typeof fromProxy === 'string' && fromProxy.slice(0, 100)) || randomUUID(),
        clientAddress: socketClientAddress(request, trustProxy),
      };
    },
  );

  // R2.1 "no heartbeat": a socket that does not answer a ping within one interval is closed, which ends its subscriptions
  const alive = new WeakMap<WebSocket, boolean>();
  wsServer.on('connection', (socket) => {
    logSocketErrors(socket);
    metrics.openSockets.inc();
    socket.on('close', () => metrics.openSockets.dec());
    alive.set(socket, true);
    socket.on('pong', () => alive.set(socket, true));
  });
  // thousands of sockets are pinged a few hundred a turn, so a beat never holds the event loop for long
  let beating = false;
  const beat = async () => {
    if (beating) return;
    beating = true;
    try {
      let pinged = 0;
      for (const socket of [...wsServer.clients]) {
        if (socket.readyState !== socket.OPEN) continue;
        if (!alive.get(socket)) {
          socket.terminate();
          continue;
        }
        alive.set(socket, false);
        socket.ping();
        if (++pinged % PINGS_A_TURN === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      beating = false;
    }
  };
  const heartbeat = setInterval(() => void beat(), config.heartbeatMs);
  heartbeat.unref();

  return {
    /** ends every operation (Apollo's drain runs it first) */
    dispose: async () => {
      await wsCleanup.dispose();
    },
    /** stop pinging and ask every client to reconnect elsewhere */
    closeAll(): void {
      clearInterval(heartbeat);
      for (const socket of wsServer.clients) socket.close(1001, 'server shutting down');
    },
    terminateAll(): void {
      for (const socket of wsServer.clients) socket.terminate();
    },
  };
}
