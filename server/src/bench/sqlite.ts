/** the minimal surface of better-sqlite3 (MikroORM's SQLite driver) that the suite uses to set up baselines and read results back */
export interface SqliteDatabase {
  prepare(sql: string): {
    run(...params: unknown[]): { changes: number };
    get(...params: unknown[]): any;
    all(...params: unknown[]): any[];
  };
  close(): void;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Database = require('better-sqlite3') as new (file: string) => SqliteDatabase;

/** opens the run's copy of the fixture, does `work`, closes it */
export async function withSqlite<T>(file: string, work: (db: SqliteDatabase) => T | Promise<T>): Promise<T> {
  const db = new Database(file);
  try {
    return await work(db);
  } finally {
    db.close();
  }
}
