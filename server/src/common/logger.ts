import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';
import pino from 'pino';
import { DriverException } from '@mikro-orm/core';
import { loggingConfig } from '../config';

/** What every log line written while serving one request or WebSocket operation carries. */
export interface LogOrigin {
  /** HTTP: the request id (x-request-id); WebSocket: `<connection id>:<operation id>` */
  reqId?: string;
  /** the GraphQL operation name, once known */
  operation?: string;
  /** issue 13: the API client making the request or operation (never its token) */
  apiClient?: { id: string; name: string };
}

/** Set around a request's or an operation's work, so that every line logged inside it names it. */
export const logContext = new AsyncLocalStorage<LogOrigin>();

/** A driver error's message and stack hold the whole SQL statement with its parameters, and PostgreSQL's `detail` the row. */
function isDatabaseError(error: object): boolean {
  const e = error as Record<string, unknown>;
  return (
    error instanceof DriverException ||
    'sqlState' in e ||
    'sqlMessage' in e || // MikroORM's DriverException, also once serialized to a plain object (pino-http does)
    e.name === 'SqliteError' ||
    e.type === 'SqliteError' ||
    (typeof e.severity === 'string' && typeof e.routine === 'string') || // a raw pg DatabaseError
    typeof e.sql === 'string'
  );
}

/** SQLite names the violated constraint at the end of its message, after the statement */
const SQLITE_CONSTRAINT = /(UNIQUE|CHECK|NOT NULL|FOREIGN KEY) constraint failed: ([\w.]+(?:, [\w.]+)*)$/;

/**
 * Errors in JSON with their stack; a database error only as class, code and the names of the table,
 * constraint and column — never its statement, parameters or the row's values.
 */
export function safeError(error: unknown): unknown {
  if (!error || typeof error !== 'object') return error;
  if (!isDatabaseError(error)) {
    if (!(error instanceof Error)) return error;
    // not pino's own serializer: it copies every property and appends the causes' messages and stacks unfiltered
    const e = error as Error & { code?: unknown; cause?: unknown };
    return {
      type: e.constructor?.name ?? e.name,
      message: e.message,
      stack: e.stack,
      ...(e.code !== undefined ? { code: e.code } : {}),
      ...(e.cause ? { cause: safeError(e.cause) } : {}),
    };
  }
  const e = error as Record<string, unknown>;
  const pick = (key: string) => (typeof e[key] === 'string' || typeof e[key] === 'number' ? String(e[key]) : undefined);
  const sqlite = typeof e.message === 'string' ? SQLITE_CONSTRAINT.exec(e.message) : null;
  const safe = {
    type: String(error instanceof Error ? error.name : (e.type ?? e.name ?? 'DatabaseError')),
    code: pick('code') ?? pick('sqlState'),
    table: pick('table'),
    constraint: pick('constraint') ?? (sqlite ? `${sqlite[1]}: ${sqlite[2]}` : undefined),
    column: pick('column'),
  };
  const message =
    `${safe.type}${safe.code ? ` ${safe.code}` : ''}${safe.table ? ` on ${safe.table}` : ''}${safe.constraint ? ` (${safe.constraint})` : ''}` +
    ' (statement and values not logged)';
  const stack =
    typeof e.stack === 'string' && e.stack.includes('\n    at ')
      ? message + e.stack.slice(e.stack.indexOf('\n    at '))
      : undefined;
  return { ...safe, message, stack };
}

/**
 * Structured JSON logs. Authorization headers, cookies, passwords, tokens and answer
 * texts are never written: request bodies are not logged at all, and these paths are redacted.
 */
const logging = loggingConfig();
export const logger = pino({
  level: logging.level,
  base: { service: 'attestation', instance: logging.instanceId },
  redact: {
    paths: [
      'req.headers.authorization',
      'req.headers.cookie',
      'password',
      'token',
      'text',
      '*.password',
      '*.token',
      '*.text',
    ],
    censor: '[redacted]',
  },
  serializers: { err: safeError },
  mixin: () => ({ ...logContext.getStore() }),
  timestamp: pino.stdTimeFunctions.isoTime,
});

/** Start, stop and seeding lines: written at any LOG_LEVEL but `silent`, since an operator always needs them. */
export const lifecycleLogger = logger.level === 'silent' ? logger : logger.child({}, { level: 'info' });

/** Libraries that print through console.* (graphql-ws, express, knex) write JSON lines like everything else. */
export function routeConsoleToLogger(): void {
  const write =
    (level: 'info' | 'warn' | 'error') =>
    (...args: unknown[]) => {
      const err = args.find((a) => a instanceof Error);
      const text = args
        .filter((a) => a !== err)
        .map((a) => (typeof a === 'string' ? a : format('%o', a)))
        .join(' ');
      if (err) logger[level]({ err }, text || 'error');
      else logger[level](text);
    };
  console.log = write('info');
  console.info = write('info');
  console.debug = write('info');
  console.warn = write('warn');
  console.error = write('error');
}
