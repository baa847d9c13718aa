import type { EntityManager } from '@mikro-orm/core';
import type { AbstractSqlConnection, Knex } from '@mikro-orm/knex';

/**
 * Runs one read as a prepared statement with bound parameters (`?`), in the EntityManager's transaction if it has one,
 * and returns plain rows: no query building, no hydration, nothing in the identity map. On SQLite the statement text
 * is the same for every caller, so the connection's kept statements (common/sqlite-statements.ts) serve it; MikroORM's
 * own `execute()` would inline the values into the text. The statement is reported to the ORM's logger as every other
 * one is, so the statement-count specs see it.
 */
export async function plainRows<T>(em: EntityManager, sql: string, params: readonly Knex.RawBinding[]): Promise<T[]> {
  const query = (em.getConnection() as AbstractSqlConnection).getKnex().raw(sql, params);
  const transaction = em.getTransactionContext();
  if (transaction) query.transacting(transaction);
  const started = Date.now();
  const result = (await query) as T[] | { rows: T[] }; // better-sqlite3 answers the rows, pg a result holding them
  const rows = Array.isArray(result) ? result : result.rows;
  em.config.getLogger().logQuery({ query: sql, level: 'info', took: Date.now() - started, results: rows.length });
  return rows;
}

/** A timestamp column as read without the ORM: a Date from PostgreSQL, epoch milliseconds from SQLite. */
export function instant(value: unknown): Date {
  return value instanceof Date ? value : new Date(typeof value === 'string' && !/^\d+$/.test(value) ? value : Number(value));
}

/** a nullable timestamp column */
export const instantOrNull = (value: unknown): Date | null => (value == null ? null : instant(value));

/** A boolean column or expression: PostgreSQL answers true/false, SQLite 1/0. */
export const truth = (value: unknown): boolean => value === true || Number(value) === 1;
