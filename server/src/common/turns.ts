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
 * One queue for all of a server's requests — GraphQL over HTTP and the file routes alike: each starts in a turn of the
 * event loop of its own. A burst of a thousand requests (or two hundred uploads) arrives in one poll phase; without
 * this, each one's parsing, session and first statements would run back to back before any socket is served again.
 * At most `maxWaiting` wait for their turn (REQUEST_QUEUE_MAX); beyond that a request is refused at once with 429.
 */
export class RequestTurns {
  private readonly breather = new Breather();

  constructor(private readonly maxWaiting: number) {}

  /** `start` runs at the request's turn; false when `maxWaiting` wait already (the caller refuses with 429, Retry-After 1 s) */
  take(start: () => void): boolean {
    if (this.breather.waiting >= this.maxWaiting) return false;
    this.breather.turn(start);
    return true;
  }

  /** `take` as a promise, for the file routes' async handlers: resolves at the turn; null when refused */
  wait(): Promise<void> | null {
    let start!: () => void;
    const turn = new Promise<void>((resolve) => (start = resolve));
    return this.take(start) ? turn : null;
  }
}

/** Express middleware for GraphQL: waits for the request's turn, or refuses it with 429 TOO_MANY_REQUESTS in GraphQL's shape. */
export function requestTurns(turns: RequestTurns): (req: Request, res: Response, next: NextFunction) => void {
  return (_req, res, next) => {
    const started = turns.take(() => {
      try {
        next();
      } catch (error) {
        next(error); // as Express does with what a middleware throws
      }
    });
    if (!started) {
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
  };
}
