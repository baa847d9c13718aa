import type { NextFunction, Request, Response } from 'express';

/**
 * Resolves its waiters one per turn of the event loop (a new setImmediate each, scheduled from the check phase,
 * so it runs after the next poll phase): whatever waits here lets sockets and timers run in between.
 */
class Breather {
  private readonly waiters: (() => void)[] = [];
  private scheduled = false;
  private readonly release = () => {
    this.scheduled = false;
    const start = this.waiters.shift()!;
    this.schedule();
    start();
  };

  /** `start` runs in a later turn, after those queued before it (a callback, not a promise: no microtask per request) */
  turn(start: () => void): void {
    this.waiters.push(start);
    this.schedule();
  }

  /** how many wait for their turn */
  get waiting(): number {
    return this.waiters.length;
  }

  private schedule(): void {
    if (this.scheduled || this.waiters.length === 0) return;
    this.scheduled = true;
    setImmediate(this.release);
  }
}

/**
 * Express middleware: requests start one per turn of the event loop. A burst of a thousand requests arrives in
 * one poll phase; without this, each one's parsing, validation and first resolver steps would run back to back
 * before any socket is served again. At most `maxWaiting` wait for their turn (REQUEST_QUEUE_MAX); beyond that a
 * request is refused at once with 429 TOO_MANY_REQUESTS and Retry-After, as the rate limits do.
 */
export function requestTurns(maxWaiting: number): (req: Request, res: Response, next: NextFunction) => void {
  const breather = new Breather();
  return (_req, res, next) => {
    if (breather.waiting >= maxWaiting) {
      res
        .status(429)
        .set('retry-after', '1')
        .json({
          errors: [
            {
              message: 'The server is busy with many requests at once; please try again in a moment.',
              extensions: { code: 'TOO_MANY_REQUESTS', retryAfter: 1 },
            },
          ],
        });
      return;
    }
    breather.turn(() => {
      try {
        next();
      } catch (error) {
        next(error); // as Express does with what a middleware throws
      }
    });
  };
}
