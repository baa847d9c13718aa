import type { MikroORM } from '@mikro-orm/core';
import { JsonOrmLogger } from '../orm';

/** The statements `work` sent to the database (BEGIN/COMMIT included), in order; the server must be otherwise idle. */
export async function statementsOf(orm: MikroORM, work: () => Promise<unknown>): Promise<string[]> {
  const ormLogger = orm.config.getLogger();
  if (!(ormLogger instanceof JsonOrmLogger)) throw new Error('statementsOf: the ORM does not use JsonOrmLogger');
  const seen: string[] = [];
  ormLogger.onQuery = (sql) => seen.push(sql);
  try {
    await work();
  } finally {
    ormLogger.onQuery = undefined;
  }
  return seen;
}
