import type { EntityManager } from '@mikro-orm/core';
import type { AbstractSqlConnection, Knex } from '@mikro-orm/knex';

/** the parts of knex's client and of a better-sqlite3 connection that a plain read on SQLite uses */
interface PooledClient {
  driverName?: string;
  acquireConnection(): Promise<unknown>;
  releaseConnection(connection: unknown): Promise<void>;
}
interface SqliteConnection {
  prepare(sql: string): { all(...params: unknown[]): unknown[] };
}

/**
 * Runs one read as a prepared statement with bound parameters (`?`), in the EntityManager's transaction if it has one,
 * and returns plain rows: no query building, no hydration, nothing in the identity map (MikroORM's own `execute()`
 * would inline the values into the text). On SQLite, outside a transaction, the statement runs on the pooled
 * connection as soon as the pool hands it over (the same bounded wait as every statement, common/sqlite-queue.ts), from
 * the connection's kept statements (common/sqlite-statements.ts), without knex's per-query work. The statement is
 * reported to the ORM's logger as every other one is, so the statement-count specs see it.
 */
export async function plainRows<T>(em: EntityManager, sql: string, params: readonly Knex.RawBinding[]): Promise<T[]> {
  const knex = (em.getConnection() as AbstractSqlConnection).getKnex();
  const transaction = em.getTransactionContext();
  const started = Date.now();
  let rows: T[];
  const client = knex.client as PooledClient;
  if (!transaction && client.driverName === 'better-sqlite3') {
    const connection = (await client.acquireConnection()) as SqliteConnection;
    try {
      rows = connection.prepare(sql).all(...params) as T[];
    } finally {
      void client.releaseConnection(connection);
    }
  } else {
    const query = knex.raw(sql, params);
    if (transaction) query.transacting(transaction);
    const result = (await query) as T[] | { rows: T[] }; // better-sqlite3 answers the rows, pg a result holding them
    rows = Array.isArray(result) ? result : result.rows;
  }
  em.config.getLogger().logQuery({ query: sql, level: 'info', took: Date.now() - started, results: rows.length });
  return rows;
}

/** A timestamp column as read without the ORM: a Date from PostgreSQL, epoch milliseconds from SQLite. */
export function instant(value: unknown): Date {
  return value instanceof Date
    ? value
    : new Date(typeof value === 'string' && !/^\d+$/.test(value) ? value : Number(value));
}

/** a nullable timestamp column */
export const instantOrNull = (value: unknown): Date | null => (value == null ? null : instant(value));

/** A boolean column or expression: PostgreSQL answers true/false, SQLite 1/0. */
export const truth = (value: unknown): boolean => value === true || Number(value) === 1;
