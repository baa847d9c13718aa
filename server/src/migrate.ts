import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/core';
import { ConfigError, loadConfig } from './config';
import { ormOptions } from './orm';

/** `npm run migrate`: applies pending migrations once per release, before the instances start with MIGRATE_ON_START=false. */
async function main() {
  const config = loadConfig();
  // a migration may rewrite a big table: the per-statement limit is for serving, not for this
  const orm = await MikroORM.init(ormOptions({ ...config, databaseStatementTimeoutMs: 0 }));
  const applied = await orm.getMigrator().up();
  console.log(applied.length ? `applied ${applied.map((m) => m.name).join(', ')}` : 'the database is up to date');
  await orm.close(true);
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? `Configuration error: ${error.message}` : error);
  process.exit(1);
});
