import type { ExecutionArgs, ExecutionResult } from 'graphql';
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { PlainSql } from './common/plain-sql';
import type { ApiPrincipal } from './modules/api-clients/api-client.service';
import type { LiveSession } from './modules/auth/auth.service';
import type { User } from './modules/users/user.entity';
import type { Services } from './services';

/** Per-operation context: every HTTP request and every WebSocket operation gets its own forked EntityManager (on first use). */
export interface Context {
  em: EntityManager;
  /**
   * the database's plain statements (common/plain-sql.ts) at hand without touching `em`, where `em` is forked on first
   * use (HTTP and WebSocket operations): an operation that only runs plain SQL (a refused ticket attempt) forks nothing
   */
  sql?: PlainSql;
  user: User | null;
  services: Services;
  /** the raw Authorization value, for logout */
  authorization?: string;
  /** names the request (HTTP) or `<connection>:<operation>` (WebSocket) in log lines */
  requestId?: string;
  /** the session of `user` (signed file links are tied to it) */
  session?: LiveSession | null;
  /** the client's address (behind a proxy: per TRUST_PROXY), for the per-address rate limits */
  clientAddress?: string;
  /** over WebSocket: closes this operation's socket (a subscriber too slow to keep up is dropped so it reconnects) */
  closeSocket?: (code: number, reason: string) => void;
  /** over WebSocket, for a subscription: its push has been built (frees the push slot before the send) */
  pushBuilt?: () => void;
  /**
   * over WebSocket, for a subscription: sends one push's `next` message as graphql-ws would, without its loop (see
   * shared-push.ts `subscribeSharing`); `written` once the socket has taken it
   */
  sendNext?: (args: ExecutionArgs, result: ExecutionResult, written: (error?: Error | null) => void) => void;
  /** over WebSocket: what the operation has read may be forgotten (a subscription between pushes); `em` is forked afresh when next used */
  idle?: () => void;
  /**
   * issue 13: the API client of an `att_…` token (then `user` is its service principal); null when such a token was
   * given but is unknown or revoked (every field refuses it); undefined for a person or no token
   */
  apiClient?: ApiPrincipal | null;
  /** over WebSocket: the client's rate limit refused this operation (every root field answers it; the socket stays open) */
  apiClientRefusal?: Error;
}

/**
 * The context of an HTTP request (http/request-context.ts) or a WebSocket operation (http/graphql-ws.ts) on a
 * person's session or none: its `em` is forked from the ORM's when first used (and again after `forget()`), so an
 * operation that reads nothing through the ORM — a subscription on a known session, a refused ticket attempt that
 * runs only plain SQL (`Context.sql`) — forks nothing.
 */
export abstract class OperationContext implements Context {
  private forked: EntityManager | undefined;
  readonly user: User | null;

  constructor(
    private readonly orm: MikroORM,
    readonly sql: PlainSql,
    readonly services: Services,
    readonly authorization: string | undefined,
    readonly session: LiveSession | null,
    readonly requestId: string,
    readonly clientAddress: string | undefined,
  ) {
    this.user = session?.user ?? null;
  }

  get em(): EntityManager {
    return (this.forked ??= this.orm.em.fork());
  }

  set em(value: EntityManager) {
    this.forked = value;
  }

  /** what has been read may be forgotten: the next use forks afresh */
  protected forget(): void {
    this.forked = undefined;
  }

  /** an EntityManager is in use (forked or given): only such a one may hold a transaction */
  get emInUse(): boolean {
    return this.forked !== undefined;
  }
}

/**
 * Where a plain read of `ctx` runs (common/plain-sql.ts `plainRows`): its EntityManager when one is in use, so a read
 * inside its transaction sees that transaction; else the database's plain statements, forking none (the exam page's
 * read of a student's exam needs nothing else of an EntityManager).
 */
export function plainReader(ctx: Context): EntityManager | PlainSql {
  return ctx instanceof OperationContext && !ctx.emInUse ? ctx.sql : ctx.em;
}
