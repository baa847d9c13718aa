import { logger } from './logger';
import type { Metrics } from './metrics';

/**
 * A promise rejection nobody handled (a dependency misbehaving) is logged and counted, never fatal:
 * Node's default would exit the process and take every exam on it down. Returns where to count
 * once the app's metrics exist (rejections before that are logged only).
 */
export function surviveUnhandledRejections(): { countIn(metrics: Metrics): void } {
  let counter: Metrics['unhandledRejections'] | undefined;
  process.on('unhandledRejection', (reason) => {
    counter?.inc();
    logger.error(
      { err: reason instanceof Error ? reason : { message: String(reason) } },
      'unhandled promise rejection (not fatal)',
    );
  });
  return { countIn: (metrics) => void (counter = metrics.unhandledRejections) };
}
