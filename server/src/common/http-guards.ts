import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import type { WebSocket } from 'ws';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { logger } from './logger';
import { declaresSubscription, tokenLimitRefusal, type RequestLimits } from './request-limits';

/**
 * helmet's headers with a Content-Security-Policy the production web app passes (e2e/csp.e2e.ts loads it in Chromium):
 * scripts only from this origin; styles also inline, because Angular and Material add component styles at run time
 * as <style> elements (a per-response nonce would need index.html rendered per request, for little gain: CSS cannot
 * run script). WebSockets to this origin are covered by 'self'.
 */
export function securityHeaders(): RequestHandler {
  // helmet's headers depend on nothing of the request (no CSP nonce here): recorded once, then set as they are on every
  // response, rather than through helmet's fourteen middlewares per request
  const set: [string, string][] = [];
  const removed: string[] = [];
  const recorder = {
    setHeader: (name: string, value: string) => void set.push([name, value]),
    removeHeader: (name: string) => void removed.push(name),
  };
  let recorded = false;
  helmetHeaders()({} as Request, recorder as unknown as Response, () => (recorded = true));
  if (!recorded) throw new Error('helmet did not pass its request on');
  return (_req, res, next) => {
    for (const name of removed) res.removeHeader(name);
    for (const [name, value] of set) res.setHeader(name, value);
    next();
  };
}

function helmetHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        scriptSrcAttr: ["'none'"],
      },
    },
    // files are downloaded by the app from this origin; nothing here needs cross-origin isolation
    crossOriginEmbedderPolicy: false,
    // HTTPS for this host only (sent by the TLS proxy's origin; ignored over plain HTTP): the university's other sites may differ
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false },
  });
}

/**
 * Headers of securityHeaders() that only a document (or a worker) obeys. A script, a stylesheet or an image of the web
 * app goes without them: the browser ignores them there, and a page loads some thirty such files, each of which
 * would carry about 0.5 KB of them over HTTP/1.1. nosniff, Cross-Origin-Resource-Policy, Referrer-Policy and HSTS stay.
 */
export const DOCUMENT_ONLY_HEADERS = [
  'Content-Security-Policy',
  'Cross-Origin-Opener-Policy',
  'Origin-Agent-Cluster',
  'X-Frame-Options',
  'X-XSS-Protection',
  'X-DNS-Prefetch-Control',
  'X-Download-Options',
  'X-Permitted-Cross-Domain-Policies',
] as const;

/**
 * /metrics names exams and counts people: it answers only `Authorization: Bearer <METRICS_TOKEN>`, and nobody
 * while METRICS_TOKEN is unset, so a fresh start shows it to no one.
 */
export function metricsAccess(token: string | undefined): RequestHandler {
  const expected = token ? Buffer.from(`Bearer ${token}`) : undefined;
  return (req, res, next) => {
    const given = Buffer.from(req.headers.authorization ?? '');
    if (expected && given.length === expected.length && timingSafeEqual(given, expected)) return next();
    res.status(expected ? 401 : 403).json({
      error: expected
        ? { code: 'UNAUTHENTICATED', message: 'Send Authorization: Bearer <METRICS_TOKEN> to read the metrics.' }
        : {
            code: 'FORBIDDEN',
            message: 'Metrics are off: set METRICS_TOKEN on the server and send it as a Bearer token.',
          },
    });
  };
}

/**
 * Before Apollo parses anything: the token limit (a 1 MB document of aliases is refused after maxTokens tokens), and
 * subscriptions, which run over graphql-ws only (over HTTP they would execute as a plain query and fail inside).
 */
export function graphqlTokenLimit(limits: RequestLimits): RequestHandler {
  // texts that passed both checks (a function of the text and the limits alone): every student of a page sends the same few
  const passed = new Set<string>();
  return (req, res, next) => {
    const query = (req.body as { query?: unknown } | undefined)?.query ?? req.query.query;
    if (typeof query !== 'string' || passed.has(query)) return next();
    const refusal = tokenLimitRefusal(query, limits);
    if (refusal) {
      res.status(400).json({ errors: [{ message: refusal.message, extensions: { code: refusal.code } }] });
    } else if (declaresSubscription(query)) {
      res.status(400).json({
        errors: [
          {
            message: 'Subscriptions run over WebSocket (graphql-ws) at /graphql, not over HTTP.',
            extensions: { code: 'BAD_REQUEST' },
          },
        ],
      });
    } else {
      if (query.length <= PASSED_TEXT_MAX_CHARS) {
        if (passed.size >= PASSED_TEXTS_KEPT) passed.delete(passed.values().next().value!);
        passed.add(query);
      }
      next();
    }
  };
}

/** how many passed texts `graphqlTokenLimit` keeps (the oldest forgotten first), and up to which length (longer ones are lexed each time) */
const PASSED_TEXTS_KEPT = 500;
const PASSED_TEXT_MAX_CHARS = 20_000;

/**
 * GraphQL over HTTP: a request error (a response without `data`) that is a refusal, such as a NUL character or too
 * deep variables found before execution, is 400 rather than Apollo's default 500. A response with `data`, even null
 * or with a refused field, keeps 200: it is a field error, and the errors say what was refused.
 */
export const requestErrorStatus: ApolloServerPlugin<BaseContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        const body = response.body;
        if (body.kind !== 'single' || 'data' in body.singleResult || (response.http.status ?? 200) < 500) return;
        const errors = body.singleResult.errors ?? [];
        if (errors.length > 0 && errors.every((e) => e.extensions?.code !== 'INTERNAL_SERVER_ERROR'))
          response.http.status = 400;
      },
    };
  },
};

const transportRefusals: Record<string, (maxBytes: number) => { code: string; message: string }> = {
  'entity.too.large': (maxBytes) => ({
    code: 'REQUEST_TOO_LARGE',
    message: `The request is larger than ${Math.round(maxBytes / 1024)} KB (GRAPHQL_MAX_BODY_KB); send less at once.`,
  }),
  'entity.parse.failed': () => ({
    code: 'BAD_REQUEST',
    message: 'The request body is not valid JSON; send {"query": "…", "variables": {…}}.',
  }),
  'charset.unsupported': () => ({
    code: 'BAD_REQUEST',
    message: 'Send the request body as UTF-8 (Content-Type: application/json; charset=utf-8).',
  }),
  'encoding.unsupported': () => ({
    code: 'BAD_REQUEST',
    message: "The request body's Content-Encoding is not supported; send it uncompressed or gzip.",
  }),
};

/** Whatever no route answered: a JSON 404 rather than Express's HTML page. */
export function notFound(_req: Request, res: Response): void {
  res
    .status(404)
    .json({ errors: [{ message: 'There is nothing at this address.', extensions: { code: 'NOT_FOUND' } }] });
}

/**
 * ws refuses a frame over maxPayload (1009) or a broken frame (1002) and closes the socket itself before emitting
 * 'error'; graphql-ws would print that with console.error and try to close again with 4500. Log it as JSON instead.
 */
export function logSocketErrors(socket: WebSocket): void {
  socket.removeAllListeners('error');
  socket.on('error', (error: Error & { code?: string }) =>
    logger.warn({ code: error.code, reason: error.message }, 'websocket: frame refused'),
  );
}

/** Express's last handler: whatever the transport refused (bad JSON, too large, a bad path) is a 4xx JSON with a code. */
export function transportErrorHandler(maxBytes: number) {
  return (error: Error & { status?: number; type?: string }, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) {
      // express's own handler would print the stack as plain text
      logger.error({ err: error, reqId: String(req.id) }, 'failed after the response began');
      res.destroy();
      return;
    }
    if (error.status && error.status >= 400 && error.status < 500) {
      const refusal = transportRefusals[error.type ?? '']?.(maxBytes) ?? {
        code: 'BAD_REQUEST',
        message: 'The request could not be read; check its address, headers and body.',
      };
      res.status(error.status).json({ errors: [{ message: refusal.message, extensions: { code: refusal.code } }] });
      return;
    }
    logger.error({ err: error, reqId: String(req.id) }, 'unexpected error');
    res.status(500).json({
      errors: [
        {
          message: 'Something went wrong on the server; please try again.',
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        },
      ],
    });
  };
}
