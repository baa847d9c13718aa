import { logger } from '../common/logger';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits for a closing step, but no longer than ms: after the grace nothing may hold the exit (a slow query included). */
export async function atMost(ms: number, step: Promise<unknown>, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const done = await Promise.race([
    step.then(
      () => true,
      (error) => {
        logger.warn({ err: error }, `shutdown: ${what} failed`);
        return true;
      },
    ),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
  ]);
  clearTimeout(timer);
  if (!done) logger.warn(`shutdown: ${what} did not finish within ${ms} ms; leaving it to the exit`);
}

/** after the grace: how long closing Apollo, Redis and the database may take together before the exit ends them */
export const CLOSE_OUT_MS = 5_000;
