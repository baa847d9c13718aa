import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { TooManyRequestsError } from '../../common/errors';

const KEY_LENGTH = 64;
const PARAMS: ScryptOptions = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/**
 * scrypt runs on libuv's thread pool (4 threads), which file reads and writes share: a login flood
 * must not take every thread. At most `concurrency` derivations run at once; logins wait in a
 * queue of at most `queue` and are refused beyond it. One per process, as the thread pool is.
 */
class DerivationSlots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    public concurrency = 1,
    public queue = 200,
  ) {}

  /** derivations waiting for a slot */
  get queued(): number {
    return this.waiting.length;
  }

  /** `bounded`: refuse when the queue is full (logins); trusted callers (seeding, staff imports) always wait */
  async run<T>(work: () => Promise<T>, bounded: boolean): Promise<T> {
    if (this.running >= this.concurrency) {
      if (bounded && this.waiting.length >= this.queue) {
        throw new TooManyRequestsError(
          `The server is busy signing people in. Please try again in ${BUSY_RETRY_SECONDS} seconds.`,
          BUSY_RETRY_SECONDS,
        );
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.running++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next)
        next(); // the slot passes straight to the next in line
      else this.running--;
    }
  }
}

/** a login refused for a full queue is told to come back after this; a queue drains in a few seconds */
const BUSY_RETRY_SECONDS = 5;
const slots = new DerivationSlots();

/** Sets the bounds (from PASSWORD_HASH_CONCURRENCY and PASSWORD_HASH_QUEUE); the last server created in a process wins. */
export function limitPasswordHashing(concurrency: number, queue: number): void {
  slots.concurrency = concurrency;
  slots.queue = queue;
}

/** how many password checks are waiting for a free derivation slot */
export function queuedPasswordChecks(): number {
  return slots.queued;
}

function derive(password: string, salt: Buffer, params: ScryptOptions, bounded: boolean): Promise<Buffer> {
  return slots.run(
    () =>
      new Promise<Buffer>((resolve, reject) =>
        scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, params, (err, key) => (err ? reject(err) : resolve(key))),
      ),
    bounded,
  );
}

/** `scrypt$N$r$p$salt$hash`, so parameters can be raised later without breaking old hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS, false);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Rejects with TOO_MANY_REQUESTS when too many checks already wait for a derivation slot. */
export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  // an unknown login still pays for one derivation, so timing does not tell which logins exist
  const [scheme, n, r, p, salt, hash] = (stored ?? 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$').split('$');
  if (scheme !== 'scrypt') return false;
  const expected = Buffer.from(hash ?? '', 'base64');
  const key = await derive(
    password,
    Buffer.from(salt, 'base64'),
    { N: Number(n), r: Number(r), p: Number(p), maxmem: PARAMS.maxmem },
    true,
  );
  return stored != null && expected.length === key.length && timingSafeEqual(expected, key);
}
