import 'reflect-metadata';
import { ConfigError, loadConfig, type Config } from './config';
import { createApp, type RunningApp } from './app';
import { lifecycleLogger, logger, routeConsoleToLogger } from './common/logger';
import { surviveUnhandledRejections } from './common/unhandled';

/** Every line on stdout is JSON: libraries' console output, Node's warnings and a fatal error too. */
function logEverythingAsJson(): void {
  routeConsoleToLogger();
  process.removeAllListeners('warning'); // Node's own printer writes plain text to stderr
  process.on('warning', (warning) => logger.warn({ err: warning }, 'Node.js warning'));
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception; the process exits');
    process.exit(1);
  });
}

/** SIGTERM / SIGINT: drain and stop (app.stop); a second signal, or a stop that hangs past its own bounds, ends the process at once. */
function stopOnSignals(app: RunningApp, config: Config): void {
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      // a second Ctrl-C from someone who does not want to wait for the drain
      lifecycleLogger.warn(`${signal} again: exiting without finishing the shutdown`);
      process.exit(1);
    }
    stopping = true;
    lifecycleLogger.info(
      { signal, shutdownDelayMs: config.shutdownDelayMs, shutdownGraceMs: config.shutdownGraceMs },
      `${signal}: /readyz answers 503 now; serving ${config.shutdownDelayMs} ms more, then finishing requests within ${config.shutdownGraceMs} ms`,
    );
    const bound = config.shutdownDelayMs + config.shutdownGraceMs + 10_000;
    setTimeout(() => {
      lifecycleLogger.fatal(`${signal}: the shutdown did not finish within ${bound} ms; exiting anyway`);
      process.exit(1);
    }, bound).unref();
    app.stop().then(
      () => {
        lifecycleLogger.info(`${signal}: stopped`);
        process.exit(0);
      },
      (error) => {
        logger.fatal({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  // `on`, not `once`: a library's exit hook re-raises the signal when it finds no other listener left
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** Start, and stop cleanly on SIGTERM / SIGINT. */
async function main() {
  logEverythingAsJson();
  const rejections = surviveUnhandledRejections();
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      lifecycleLogger.fatal(`Configuration error: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const app = await createApp(config);
  rejections.countIn(app.services.metrics);
  lifecycleLogger.info(
    `Attestation is up: ${app.url}/ (GraphQL at ${app.url}/graphql, database: ${config.databaseUrl ? 'PostgreSQL' : `SQLite in ${config.dataDir}`})`,
  );
  stopOnSignals(app, config);
}

main().catch((error) => {
  logger.fatal({ err: error }, 'Attestation could not start');
  process.exit(1);
});
