import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/core';
import { loadConfig } from '../config';
import { ormOptions } from '../orm';

/**
 * `npm run migration:create` (SQLite) and `DATABASE_URL=postgres://… npm run migration:create`:
 * writes the next migration for that dialect into server/src/migrations/<dialect>.
 */
async function main() {
  // a scratch database of its own unless DATA_DIR names one
  const config = loadConfig({ DATA_DIR: '/tmp/attestation-migrations', ...process.env });
  const orm = await MikroORM.init(ormOptions(config));
  const migrator = orm.getMigrator();
  await migrator.up();
  const result = await migrator.createMigration(undefined, false, process.argv.includes('--initial'));
  console.log(result.fileName ? `created ${result.fileName}` : 'no changes: the schema matches the entities');
  await orm.close(true);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
