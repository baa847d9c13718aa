import type { NextFunction, Request, Response } from 'express';
import {
  GraphQLError,
  execute,
  getOperationAST,
  OperationTypeNode,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import { logContext } from '../common/logger';
import { prepareOperation, type RequestLimits } from '../common/request-limits';
import type { Context } from '../context';

/** what Apollo calls its `formatError` option: the one place errors are shaped for the client */
export type ErrorFormatter = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

export interface DirectParts {
  schema: GraphQLSchema;
  limits: RequestLimits;
  /** the request's context, with the anonymous rate limit (the same function Apollo is given: made once per request) */
  contextFor: (req: Request) => Promise<Context>;
  formatError: ErrorFormatter;
}

/** the media types Apollo Server answers a single result with, in its order of preference when the client has none */
const MEDIA_TYPES = [
  'application/json; charset=utf-8',
  'application/graphql-response+json; charset=utf-8',
  'application/json; callbackSpec=1.0; charset=utf-8',
];

/**
 * GraphQL over HTTP without Apollo's per-request pipeline, for the requests that make up nearly all of exam day: a POST
 * of one operation whose text has already passed parsing, validation and the request limits (`prepareOperation`: the same
 * rules, cache and refusals as graphql-ws), with the same context, rate limits, error formatting and HTTP statuses as
 * Apollo gives them. It runs after the same transport guards (request turns, body limit, token limit, log context).
 * Everything else — a refused or malformed operation, a batch, a GET, persisted queries, an Accept Apollo would refuse,
 * variables that do not coerce — goes on to Apollo (`next()`) untouched, so every refusal still has one source.
 * Execution is graphql-js's `execute`, as under Apollo (graphql-jit was measured here: no gain on these operations, and it
 * cannot resolve type-graphql's unions, e.g. TicketQuestionsResult).
 */
export function graphqlDirect({ schema, limits, contextFor, formatError }: DirectParts) {
  const mediaTypes = new Map<string, string | false>();
  const mediaTypeFor = (req: Request): string | false => {
    const accept = req.headers.accept;
    if (!accept) return MEDIA_TYPES[0];
    let chosen = mediaTypes.get(accept);
    if (chosen === undefined) {
      chosen = req.accepts(MEDIA_TYPES) || false; // the negotiation Apollo runs (negotiator, through `accepts`)
      if (mediaTypes.size >= MEDIA_TYPES_KEPT) mediaTypes.clear();
      mediaTypes.set(accept, chosen);
    }
    return chosen;
  };

  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const request = req.method === 'POST' ? plainRequest(req.body) : undefined;
    const mediaType = request && mediaTypeFor(req);
    if (!request || (mediaType !== MEDIA_TYPES[0] && mediaType !== MEDIA_TYPES[1])) return next();
    const prepared = prepareOperation(schema, limits, request);
    if (Array.isArray(prepared)) return next();
    const operation = getOperationAST(prepared.document, request.operationName);
    if (!operation || operation.operation === OperationTypeNode.SUBSCRIPTION) return next();

    const origin = logContext.getStore();
    if (origin) origin.operation = operation.name?.value ?? request.operationName ?? undefined;

    let context: Context;
    try {
      context = await contextFor(req);
    } catch (error) {
      // as Apollo answers a failed context (e.g. the anonymous rate limit): its errors, status 500 unless they say
      return sendErrors(
        res,
        mediaType,
        formatErrors([asGraphQLError(error, 'Context creation failed: ')], formatError),
      );
    }
    let result: ExecutionResult;
    try {
      result = await execute({ ...prepared, contextValue: context });
    } catch (error) {
      return sendErrors(res, mediaType, formatErrors([asGraphQLError(error)], formatError));
    }
    // no `data` at all: the variables did not coerce (checked once, by execute, nothing ran). Apollo refuses them (400
    // BAD_USER_INPUT) with the context made here: `contextFor` gives it the same one
    if (!('data' in result)) return next();
    if (!result.errors) return send(res, mediaType, 200, undefined, { data: result.data });
    const errors = formatErrors(result.errors, formatError);
    send(res, mediaType, errors.status ?? 200, errors.headers, { errors: errors.formatted, data: result.data });
  };
}

/** how many distinct Accept values keep their negotiated media type (browsers send one or two) */
const MEDIA_TYPES_KEPT = 50;

interface OneOperation {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
  extensions?: Record<string, unknown> | null;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** a body of one operation in the shape Apollo accepts without a word, and no persisted query; else undefined */
function plainRequest(body: unknown): OneOperation | undefined {
  if (!isRecord(body)) return undefined;
  const { query, variables, operationName, extensions } = body;
  if (typeof query !== 'string' || query === '') return undefined;
  if (variables !== undefined && variables !== null && !isRecord(variables)) return undefined;
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return undefined;
  if (extensions !== undefined && extensions !== null && (!isRecord(extensions) || 'persistedQuery' in extensions))
    return undefined;
  return body as unknown as OneOperation;
}

function asGraphQLError(error: unknown, prefix = ''): GraphQLError {
  if (error instanceof GraphQLError) return error;
  const cause = error instanceof Error ? error : new Error(String(error));
  return new GraphQLError(prefix + cause.message, { originalError: cause });
}

interface FormattedErrors {
  formatted: GraphQLFormattedError[];
  status?: number;
  headers: Map<string, string>;
}
/**
 * Apollo Server's error normalization (its `normalizeAndFormatErrors`, which it does not export): each error's
 * `extensions.code` (INTERNAL_SERVER_ERROR when it has none), its `extensions.http` taken out of the body into the
 * response's status and headers, no stack trace, then `formatError`; a formatter that throws gives a bare internal error.
 */
function formatErrors(errors: readonly GraphQLError[], formatError: ErrorFormatter): FormattedErrors {
  let status: number | undefined;
  const headers = new Map<string, string>();
  const formatted = errors.map((error) => {
    try {
      const extensions: Record<string, unknown> = {
        ...error.extensions,
        code: error.extensions.code ?? 'INTERNAL_SERVER_ERROR',
      };
      const http = extensions.http as { status?: unknown; headers?: unknown } | undefined;
      if (
        http &&
        typeof http === 'object' &&
        (!('status' in http) || typeof http.status === 'number') &&
        (!('headers' in http) || http.headers instanceof Map)
      ) {
        if (http.status) status = http.status as number;
        for (const [name, value] of (http.headers as Map<string, string> | undefined) ?? []) headers.set(name, value);
        delete extensions.http;
      }
      return formatError({ ...error.toJSON(), extensions }, error);
    } catch {
      return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
  });
  return { formatted, status, headers };
}

/** the response as Apollo's Express integration writes it: its status and headers, then the JSON and a newline */
function send(
  res: Response,
  mediaType: string,
  status: number,
  headers: Map<string, string> | undefined,
  body: object,
): void {
  for (const [name, value] of headers ?? []) res.setHeader(name, value);
  res.setHeader('content-type', mediaType);
  res.statusCode = status;
  // what Express's res.send does with a string of a POST's answer (its media type already names UTF-8), without its
  // charset parsing, freshness and ETag checks: the text and its length in bytes. Ended as a string, it goes out in one
  // write behind the header block (a Buffer would be a second chunk of a writev, copied first)
  const text = JSON.stringify(body) + '\n';
  res.setHeader('Content-Length', String(Buffer.byteLength(text)));
  res.end(text, 'utf8');
}

/** a request that failed as a whole (no data), as Apollo answers it: status 500 unless an error says otherwise */
function sendErrors(res: Response, mediaType: string, errors: FormattedErrors): void {
  send(res, mediaType, errors.status ?? 500, errors.headers, { errors: errors.formatted });
}
