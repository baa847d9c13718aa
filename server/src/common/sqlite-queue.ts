import { BetterSqliteKnexDialect } from '@mikro-orm/knex';
import { TooManyRequestsError } from './errors';
import { keepPreparedStatements } from './sqlite-statements';

/**
 * The knex client for MikroORM on SQLite: it keeps the single connection (one writer, WAL) and
 * - bounds the statements waiting for the connection (`queueMax`); beyond it a request is refused with
 *   TOO_MANY_REQUESTS and a retry hint, instead of waiting up to knex's acquire timeout (60 s);
 * - reuses prepared statements (better-sqlite3 prepares; knex would prepare every statement anew).
 */
export interface SqliteQueueOptions {
  /** statements that may wait for the connection at once */
  queueMax: number;
}

/** Refused because too many statements wait for the database already; `refusal` survives MikroORM's wrapping of driver errors. */
class DatabaseQueueFullError extends TooManyRequestsError {
  readonly refusal: TooManyRequestsError = this;
  constructor() {
    super('The server is busy with many requests at once; please try again in a moment.', 1);
  }
}

/** The knex client class to pass as MikroORM's `driverOptions.client` on SQLite. */
export function queuedSqliteClient(options: SqliteQueueOptions): typeof BetterSqliteKnexDialect {
  // knex's dialect classes are untyped (MikroORM's MonkeyPatchable); the members used here are knex's Client API
  const Base = BetterSqliteKnexDialect as unknown as new (...args: unknown[]) => {
    pool?: { numPendingAcquires(): number };
    acquireConnection(): Promise<unknown>;
    acquireRawConnection(): Promise<Parameters<typeof keepPreparedStatements>[0]>;
  };
  class QueuedSqliteClient extends Base {
    override async acquireConnection(): Promise<unknown> {
      if ((this.pool?.numPendingAcquires() ?? 0) >= options.queueMax) throw new DatabaseQueueFullError();
      return super.acquireConnection();
    }

    override async acquireRawConnection(): Promise<Parameters<typeof keepPreparedStatements>[0]> {
      const connection = await super.acquireRawConnection();
      keepPreparedStatements(connection);
      return connection;
    }
  }
  return QueuedSqliteClient as unknown as typeof BetterSqliteKnexDialect;
}
