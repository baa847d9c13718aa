import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  RLWrapperTimeouts,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Config } from '../config';
import { TooManyRequestsError } from './errors';
import { logger } from './logger';
import type { Metrics } from './metrics';

type Limiter = Pick<RateLimiterAbstract, 'consume' | 'delete' | 'reward'>;
type LimitName = 'login-account' | 'login-address' | 'saves' | 'anonymous' | 'api-client';

/** a Redis call that takes longer than this falls back to the in-process limiter */
const REDIS_TIMEOUT_MS = 300;

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** keys of bounded length that never hold a typed login verbatim (a password typed into the login field stays out of Redis) */
const keyOf = (value: string) => createHash('sha256').update(value).digest('base64url').slice(0, 22);

/** A login let through (after its slowdown): counted as a failure unless `succeeded()` or `notChecked()` is called. */
export interface LoginAttempt {
  /** the password was right: the login's failures are forgotten */
  succeeded(): Promise<void>;
  /** the password could not be checked (the server was busy): the attempt is not counted */
  notChecked(): Promise<void>;
}

/**
 * Every rate limit of the server, in one place. In-process by default; with Redis they are shared
 * by all instances, and an unreachable or slow Redis falls back to the in-process count, so a
 * Redis outage never fails a request. A limiter that fails outright lets the request through.
 */
export class RateLimits {
  private readonly loginAccount: Limiter;
  private readonly loginAddress: Limiter;
  private readonly saves: Limiter;
  private readonly anonymous: Limiter;
  /** API clients' limiters, one per limit in use (each client its own key): the default and the clients' own */
  private readonly apiClients = new Map<number, Limiter>();
  private readonly create: (name: LimitName, points: number, duration: number, blockDuration?: number) => Limiter;

  constructor(
    private readonly config: Config,
    private readonly metrics: Metrics,
    redis?: Redis,
  ) {
    const window = config.loginFailureWindowSeconds;
    const create = (name: LimitName, points: number, duration: number, blockDuration = 0): Limiter => {
      const options = { keyPrefix: `${config.redisKeyPrefix}:rl:${name}`, points, duration, blockDuration };
      const memory = new RateLimiterMemory(options);
      if (!redis) return memory;
      const shared = new RateLimiterRedis({
        ...options,
        storeClient: redis,
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory,
      });
      // blockDuration again: the wrapper hands its own to the insurance limiter
      return new RLWrapperTimeouts({
        limiter: shared,
        timeoutMs: REDIS_TIMEOUT_MS,
        insuranceLimiter: memory,
        blockDuration,
      });
    };
    this.loginAccount = create('login-account', config.loginAccountFailures, window, config.loginLockSeconds);
    this.loginAddress = create('login-address', config.loginAddressFailures, window, config.loginLockSeconds);
    this.saves = create('saves', config.savesPerMinute, 60);
    this.anonymous = create('anonymous', config.anonymousRequestsPerMinute, 60);
    this.create = create;
  }

  /** GraphQL requests of one API client, per minute: its own limit or API_CLIENT_REQUESTS_PER_MINUTE */
  async apiClientRequest(clientId: string, perMinute: number): Promise<void> {
    let limiter = this.apiClients.get(perMinute);
    if (!limiter) this.apiClients.set(perMinute, (limiter = this.create('api-client', perMinute, 60)));
    const { refused } = await this.consume(limiter, 'api-client', `${clientId}:${perMinute}`);
    if (refused) {
      const wait = seconds(refused.msBeforeNext);
      throw new TooManyRequestsError(
        `This API client may make ${perMinute} requests a minute. Wait ${wait} s and try again, or ask staff for a higher limit.`,
        wait,
      );
    }
  }

  /**
   * Counts a login attempt as a failure up front (so parallel guesses cannot slip past the count),
   * refuses it while the account or the address is locked — even with the right password —, and
   * waits longer after each recent failure of the account. A success takes the failures back.
   */
  async loginAttempt(login: string, address: string | undefined): Promise<LoginAttempt> {
    const account = keyOf(login.trim().toLowerCase());
    const from = address ?? 'unknown';
    const byAddress = await this.consume(this.loginAddress, 'login-address', from);
    if (byAddress.refused) throw this.loginLocked(byAddress.refused, 'address', { address: from });
    const byAccount = await this.consume(this.loginAccount, 'login-account', account);
    if (byAccount.refused) throw this.loginLocked(byAccount.refused, 'account', { account, address: from });

    const earlierFailures = (byAccount.consumed ?? 1) - 1;
    const over = earlierFailures - this.config.loginSlowdownAfter;
    if (over > 0 && this.config.loginSlowdownMs > 0) {
      this.metrics.loginsSlowed.inc();
      await sleep(Math.min(this.config.loginSlowdownMaxMs, this.config.loginSlowdownMs * 2 ** (over - 1)));
    }
    return {
      succeeded: async () => {
        await Promise.all([
          this.settle(this.loginAccount.delete(account), 'login-account'),
          this.settle(this.loginAddress.reward(from, 1), 'login-address'),
        ]);
      },
      notChecked: async () => {
        await Promise.all([
          this.settle(this.loginAccount.reward(account, 1), 'login-account'),
          this.settle(this.loginAddress.reward(from, 1), 'login-address'),
        ]);
      },
    };
  }

  /** saveAnswer and answer uploads, per student; sending an answer is never limited (it is the deadline's action) */
  async studentSave(userId: string): Promise<void> {
    const { refused } = await this.consume(this.saves, 'saves', userId);
    if (refused) {
      const wait = seconds(refused.msBeforeNext);
      throw new TooManyRequestsError(
        `Too many saves and uploads in a minute. Your work is kept on this page; wait ${wait} s and try again.`,
        wait,
      );
    }
  }

  /** GraphQL requests without a valid token, per client address */
  async anonymousRequest(address: string | undefined): Promise<void> {
    const { refused } = await this.consume(this.anonymous, 'anonymous', address ?? 'unknown');
    if (refused) {
      const wait = seconds(refused.msBeforeNext);
      throw new TooManyRequestsError(
        `Too many requests without signing in from your address. Wait ${wait} s and try again, or sign in.`,
        wait,
      );
    }
  }

  private loginLocked(
    refused: RateLimiterRes,
    scope: 'account' | 'address',
    detail: Record<string, string>,
  ): TooManyRequestsError {
    const wait = seconds(refused.msBeforeNext);
    const points = scope === 'account' ? this.config.loginAccountFailures : this.config.loginAddressFailures;
    if (refused.consumedPoints === points + 1) {
      // the attempt that locked it: visible to operators (the login only as a hash, never a password)
      this.metrics.loginLocks.inc({ scope });
      logger.warn(
        { event: 'login-locked', scope, ...detail, lockSeconds: wait },
        `login locked: too many failed sign-ins for this ${scope}`,
      );
    }
    const minutes = Math.ceil(wait / 60);
    return new TooManyRequestsError(
      `Too many failed sign-ins${scope === 'address' ? ' from your address' : ' for this login'}. Signing in is locked for ${wait < 120 ? `${wait} seconds` : `${minutes} minutes`}; try again then.`,
      wait,
    );
  }

  /** `refused` when the limit is reached; `consumed` when known. Never throws. */
  private async consume(
    limiter: Limiter,
    name: LimitName,
    key: string,
  ): Promise<{ consumed?: number; refused?: RateLimiterRes }> {
    try {
      const res = await limiter.consume(key);
      return { consumed: res.consumedPoints };
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) {
        this.metrics.rateLimited.inc({ limit: name });
        return { refused: outcome };
      }
      logger.warn({ err: outcome, limit: name }, 'rate limit could not be checked; the request is let through');
      return {};
    }
  }

  private async settle(work: Promise<unknown>, name: LimitName): Promise<void> {
    await work.catch((error) => logger.warn({ err: error, limit: name }, 'rate limit could not be updated'));
  }
}
