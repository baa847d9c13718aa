/** the better-sqlite3 connection methods this needs */
interface PreparingConnection {
  prepare(sql: string): { safeIntegers(on?: boolean): unknown };
}

/** statements kept per connection; texts differ by their number of `in (?, …)` placeholders, so a bounded few hundred */
const KEPT_STATEMENTS = 500;

/**
 * knex prepares every statement afresh; the same few texts serve every exam page, so each connection keeps its
 * prepared statements (least recently used dropped). Reuse is safe: better-sqlite3 runs a statement to completion
 * synchronously, and SQLite re-prepares a kept statement by itself after a schema change.
 */
export function keepPreparedStatements(connection: PreparingConnection): void {
  if (typeof connection.prepare !== 'function') return;
  const prepare = connection.prepare.bind(connection);
  const kept = new Map<string, ReturnType<PreparingConnection['prepare']>>();
  connection.prepare = (sql: string) => {
    let statement = kept.get(sql);
    if (statement) {
      kept.delete(sql); // re-inserted last: the most recently used
      statement.safeIntegers(false); // knex sets it per query when asked; a kept statement starts from the default
    } else {
      statement = prepare(sql);
      if (kept.size >= KEPT_STATEMENTS) kept.delete(kept.keys().next().value!);
    }
    kept.set(sql, statement);
    return statement;
  };
}
