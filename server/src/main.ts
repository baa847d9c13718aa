import 'reflect-metadata';
import { ConfigError, loadConfig } from './config';
import { createApp } from './app';
import { surviveUnhandledRejections } from './common/unhandled';

/** Start, and stop cleanly on SIGTERM / SIGINT. */
async function main() {
  const rejections = surviveUnhandledRejections();
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const app = await createApp(config);
  rejections.countIn(app.services.metrics);
  console.log(`Attestation is up: ${app.url}/ (GraphQL at ${app.url}/graphql, database: ${config.databaseUrl ? 'PostgreSQL' : `SQLite in ${config.dataDir}`})`);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing requests and closing sockets…`);
    app.stop().then(() => process.exit(0), (error) => {
      console.error('shutdown failed', error);
      process.exit(1);
    });
  };
  // `on`, not `once`: a library's exit hook re-raises the signal when it finds no other listener left
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error) => {
  console.error('Attestation could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
