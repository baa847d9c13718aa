import {
  ReferenceKind,
  Utils,
  type Dictionary,
  type EntityDictionary,
  type EntityManager,
  type EntityName,
} from '@mikro-orm/core';
import type { AbstractSqlConnection, Knex } from '@mikro-orm/knex';
import { BetterSqliteDriver } from '@mikro-orm/better-sqlite';

/**
 * Plain SQL for the hot paths of exam day (the ticket race, uploads, the session and the exam page's reads): `?` placeholders with bound parameters,
 * rows as plain objects, no query building and no entity hydration. MikroORM inlines every parameter into the SQL
 * text, so SQLite would prepare each statement afresh; here a statement text is prepared once per connection (see
 * sqlite-statements.ts) and PostgreSQL gets parameters, not literals.
 *
 * On SQLite the statements run on the single connection taken from knex's pool (so they queue with the ORM's own,
 * bounded by SQLITE_QUEUE_MAX), synchronously, and a transaction holds that connection from BEGIN to COMMIT;
 * on PostgreSQL through knex's pool, row locks only. Every statement is reported to the ORM's logger, so the
 * statement-count specs see these as they see the ORM's.
 */
export interface PlainStatements {
  rows<T extends object>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** the number of rows changed */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
}

export interface PlainSql extends PlainStatements {
  /** `work`'s statements in one transaction: committed when it resolves, rolled back when it throws */
  transaction<T>(work: (tx: PlainStatements) => Promise<T>): Promise<T>;
  /** a timestamp as this database stores it (SQLite: epoch milliseconds) */
  time(date: Date): number | Date;
  /** a timestamp column's value as a Date (SQLite answers epoch milliseconds, PostgreSQL through MikroORM's type parsers a timestamptz string) */
  date(value: unknown): Date | null;
  /** a boolean expression's value (SQLite answers 0/1, PostgreSQL true/false) */
  flag(value: unknown): boolean;
}

interface SqliteStatement {
  /** whether it answers rows */
  readonly reader: boolean;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number };
  /** answer each row as an array of its values in column order */
  raw(on: boolean): SqliteStatement;
  columns(): { name: string }[];
}
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
}
interface KnexPool {
  acquireConnection(): Promise<unknown>;
  releaseConnection(connection: unknown): Promise<unknown>;
}

/** what `plainSql` reads of tarn's pool (knex's), to know its connection is idle */
interface TarnPool {
  destroyed: boolean;
  min: number;
  free: { resource: unknown }[];
  used: unknown[];
  pendingAcquires: unknown[];
  pendingValidations: unknown[];
}

const plain = new WeakMap<object, PlainSql>();

/** The plain-SQL runner of `em`'s database (one per ORM). */
export function plainSql(em: EntityManager): PlainSql {
  const driver = em.getDriver();
  let runner = plain.get(driver);
  if (!runner) {
    const knex = (em as unknown as { getKnex(): Knex }).getKnex();
    const logger = em.config.getLogger();
    const report = (sql: string) => logger.logQuery({ query: sql, level: 'info' });
    // driver errors become MikroORM's exceptions (UniqueConstraintViolationException …), as the ORM's own statements' do
    const converter = em.getPlatform().getExceptionConverter();
    const convert = (error: unknown): never => {
      throw error instanceof Error ? converter.convertException(error as Error & Dictionary) : error;
    };
    runner =
      driver instanceof BetterSqliteDriver
        ? sqliteRunner(knex, report, convert)
        : postgresRunner(knex, report, convert);
    plain.set(driver, runner);
  }
  return runner;
}

/**
 * One read with bound parameters, in the EntityManager's transaction if it has one (else as `plainSql(em).rows`; given
 * the plain statements themselves, on them):
 * plain rows, nothing in the identity map. The statement is reported to the ORM's logger as every other one is.
 */
export async function plainRows<T extends object>(
  em: EntityManager | PlainSql,
  sql: string,
  params: readonly Knex.RawBinding[] = [],
): Promise<T[]> {
  if (!('getTransactionContext' in em)) return em.rows<T>(sql, params); // no EntityManager, no transaction
  const transaction = em.getTransactionContext<Knex.Transaction>();
  if (!transaction) return plainSql(em).rows<T>(sql, params);
  const knex = (em.getConnection() as AbstractSqlConnection).getKnex();
  em.config.getLogger().logQuery({ query: sql, level: 'info' });
  const result = (await knex.raw(sql, params).transacting(transaction)) as T[] | { rows: T[] }; // better-sqlite3 answers the rows, pg a result holding them
  return Array.isArray(result) ? result : result.rows;
}

/** A timestamp column as read without the ORM: a Date or a timestamptz string from PostgreSQL, epoch milliseconds from SQLite. */
export function instant(value: unknown): Date {
  return value instanceof Date
    ? value
    : new Date(typeof value === 'string' && !/^\d+$/.test(value) ? value : Number(value));
}

/** a nullable timestamp column */
export const instantOrNull = (value: unknown): Date | null => (value == null ? null : instant(value));

/** A boolean column or expression: PostgreSQL answers true/false, SQLite 1/0. */
export const truth = (value: unknown): boolean => value === true || Number(value) === 1;

/** a function making a row object of a row's values, per list of column names */
type RowMaker = (values: unknown[]) => Record<string, unknown>;
const rowMakers = new Map<string, RowMaker | null>();
/** column lists kept (statement texts are our own and few; a bound, like the prepared statements') */
const ROW_MAKERS_MAX = 1_000;

/**
 * What makes a row object of a row's values for these columns: an object literal of them in column order (a duplicate
 * name: its last value, in its first place), as better-sqlite3 makes rows itself, but in a few property stores of one
 * shape rather than a property definition each: half the time of a 5,000-row read. Null when a name would not be an
 * own property of a literal (`__proto__`): such rows are left to better-sqlite3.
 */
function rowMaker(columns: readonly { name: string }[]): RowMaker | null {
  const names = columns.map((column) => column.name);
  const key = names.join('\u0000');
  let maker = rowMakers.get(key);
  if (maker === undefined) {
    maker = names.includes('__proto__')
      ? null
      : // the names go in as JSON string literals
        (new Function(
          'v',
          `return { ${names.map((name, i) => `${JSON.stringify(name)}: v[${i}]`).join(', ')} };`,
        ) as RowMaker);
    if (rowMakers.size >= ROW_MAKERS_MAX) rowMakers.delete(rowMakers.keys().next().value!);
    rowMakers.set(key, maker);
  }
  return maker;
}

/** a statement's rows as objects (see `rowMaker`); the kept statement is left as knex expects it (raw off) */
function allRows(statement: SqliteStatement, params: readonly unknown[]): unknown[] {
  const maker = statement.reader ? rowMaker(statement.columns()) : null;
  if (!maker) return statement.all(...params);
  statement.raw(true);
  try {
    return (statement.all(...params) as unknown[][]).map(maker);
  } finally {
    statement.raw(false);
  }
}

function sqliteRunner(knex: Knex, report: (sql: string) => void, convert: (error: unknown) => never): PlainSql {
  const pool = knex.client as unknown as KnexPool;
  // a failed statement is announced as knex announces its own, so the database error metrics count it
  const failed = (error: unknown, sql: string): never => {
    knex.client.emit('query-error', error, { sql });
    return convert(error);
  };
  const statements = (connection: SqliteConnection): PlainStatements => ({
    async rows<T extends object>(sql: string, params: readonly unknown[] = []) {
      report(sql);
      try {
        return allRows(connection.prepare(sql), params) as T[];
      } catch (error) {
        return failed(error, sql);
      }
    },
    async run(sql: string, params: readonly unknown[] = []) {
      report(sql);
      try {
        return connection.prepare(sql).run(...params).changes;
      } catch (error) {
        return failed(error, sql);
      }
    },
  });
  const tarn = (knex.client as unknown as { pool?: TarnPool }).pool;
  /**
   * The connection when nobody holds it or waits for it and the pool keeps it (its `min`, so it is never reaped): a
   * lone statement runs on it synchronously, so nothing can take it meanwhile, and acquiring it through knex's pool
   * (two pending operations, each with a timer, and a chain of promises) would only add to each request's CPU
   */
  const idleConnection = (): SqliteConnection | undefined =>
    tarn &&
    !tarn.destroyed &&
    tarn.used.length === 0 &&
    tarn.pendingAcquires.length === 0 &&
    tarn.pendingValidations.length === 0 &&
    tarn.free.length === 1 &&
    tarn.min >= 1
      ? (tarn.free[0].resource as SqliteConnection)
      : undefined;
  const withConnection = async <T>(work: (connection: SqliteConnection) => Promise<T>): Promise<T> => {
    const connection = (await pool.acquireConnection()) as SqliteConnection;
    try {
      return await work(connection);
    } finally {
      await pool.releaseConnection(connection);
    }
  };
  return {
    rows: (sql, params) => {
      const idle = idleConnection();
      return idle ? statements(idle).rows(sql, params) : withConnection((c) => statements(c).rows(sql, params));
    },
    run: (sql, params) => {
      const idle = idleConnection();
      return idle ? statements(idle).run(sql, params) : withConnection((c) => statements(c).run(sql, params));
    },
    transaction: (work) =>
      withConnection(async (connection) => {
        const tx = statements(connection);
        // IMMEDIATE: the write lock is taken at BEGIN, so the transaction never fails later on a busy database
        await tx.run('begin immediate');
        let result;
        try {
          result = await work(tx);
        } catch (error) {
          await tx.run('rollback');
          throw error;
        }
        try {
          await tx.run('commit');
        } catch (error) {
          // a failed COMMIT may leave the transaction open on the shared connection
          if ((connection as { inTransaction?: boolean }).inTransaction) connection.prepare('rollback').run();
          throw error;
        }
        return result;
      }),
    time: (date) => date.getTime(),
    date: instantOrNull,
    flag: truth,
  };
}

function postgresRunner(knex: Knex, report: (sql: string) => void, convert: (error: unknown) => never): PlainSql {
  const statements = (runner: Knex | Knex.Transaction): PlainStatements => ({
    async rows<T extends object>(sql: string, params: readonly unknown[] = []) {
      report(sql);
      return ((await runner.raw(sql, params as Knex.RawBinding[]).catch(convert)) as { rows: T[] }).rows;
    },
    async run(sql: string, params: readonly unknown[] = []) {
      report(sql);
      return ((await runner.raw(sql, params as Knex.RawBinding[]).catch(convert)) as { rowCount: number }).rowCount;
    },
  });
  const direct = statements(knex);
  return {
    rows: direct.rows,
    run: direct.run,
    transaction: (work) => {
      report('begin');
      return knex
        .transaction((trx) => work(statements(trx)))
        .then(
          (result) => {
            report('commit');
            return result;
          },
          (error: unknown) => {
            report('rollback');
            throw error;
          },
        );
    },
    time: (date) => date,
    date: instantOrNull,
    flag: truth,
  };
}

/**
 * The select list of every column of an entity's table under `alias`, each named `<alias>__<column>`, from MikroORM's
 * metadata (so a new column needs no change here); `mapped` turns such a row back into loaded entities with em.map.
 */
export function columnsOf(em: EntityManager, entity: EntityName<object>, alias: string): string {
  return em
    .getMetadata()
    .get(Utils.className(entity))
    .props.filter(
      (p) =>
        p.persist !== false &&
        (p.kind === ReferenceKind.SCALAR ||
          p.kind === ReferenceKind.MANY_TO_ONE ||
          (p.kind === ReferenceKind.ONE_TO_ONE && p.owner)),
    )
    .flatMap((p) => p.fieldNames)
    .map((column) => `${alias}.${column} as ${alias}__${column}`)
    .join(', ');
}

/** The `<alias>__…` columns of `row` as the entity they belong to (loaded and managed), or null when they are all null (an outer join found none). */
export function mapped<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  alias: string,
  row: Record<string, unknown>,
): T | null {
  const prefix = `${alias}__`;
  const columns: Record<string, unknown> = {};
  let found = false;
  for (const key in row) {
    if (!key.startsWith(prefix)) continue;
    columns[key.slice(prefix.length)] = row[key];
    found ||= row[key] !== null;
  }
  return found ? em.map(entity, columns as EntityDictionary<T>) : null;
}
