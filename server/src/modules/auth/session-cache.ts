import { logger } from '../../common/logger';
import type { RedisConnections } from '../../common/redis';
import type { AuthSession } from './auth-session.entity';
import { revocationChannel } from './session-sockets';

/** What a request knows of its session: signed file links name it, sockets close when it expires. */
export type LiveSession = Pick<AuthSession, 'id' | 'expiresAt' | 'user'>;

/** on the revocation channel: people were changed (role, name, password), so every instance forgets every session */
export const USERS_CHANGED = '*users-changed';

interface Cached {
  session: LiveSession;
  /** Date.now() after which the entry is read again from the database */
  staleAt: number;
}

/**
 * The live sessions this instance has read lately, by token hash, so a request on a known session reads nothing: the
 * first statement of every request (~3 % of the exam page's server CPU on SQLite; a round trip on PostgreSQL). At most `max` sessions (the least recently
 * used go first), each for at most `ttlMs` (0 for either: no cache).
 *
 * What ends or changes a session is forgotten at once: a logout (`forgetSession`), a change of people (`usersChanged`,
 * which forgets them all: rare staff work), on this instance directly and on the others through the revocation channel
 * that also closes the session's sockets. The expiry is checked against the clock at every hit. With Redis configured,
 * the cache serves only while its subscription listens: the link lost, it forgets everything and reads every request's
 * session from the database until the link is back, since messages sent meanwhile are lost.
 *
 * A read that started before a change may end after the change was heard: `generation` counts the changes heard, and a
 * read is kept only if none was heard since it started, so a stale row never enters after its revocation.
 */
export class SessionCache {
  private readonly byHash = new Map<string, Cached>();
  private readonly hashBySession = new Map<string, string>();
  private heard = 0;
  private readonly channel: string;
  private readonly enabled: boolean;
  private readonly onMessage = (channel: string, message: string) => {
    if (channel !== this.channel) return;
    if (message === USERS_CHANGED) this.clear();
    else this.forgetSession(message);
  };
  /** the subscription lost: what is published meanwhile never arrives here */
  private readonly onLinkLost = () => this.clear();

  constructor(
    private readonly max: number,
    private readonly ttlMs: number,
    private readonly redis: Pick<RedisConnections, 'publish' | 'subscribe' | 'connected'> | undefined,
    prefix: string,
  ) {
    this.enabled = max > 0 && ttlMs > 0;
    this.channel = revocationChannel(prefix);
    if (this.enabled && redis) {
      // connectRedis subscribes to the channel on every (re)connect
      redis.subscribe.on('message', this.onMessage);
      redis.subscribe.on('close', this.onLinkLost);
    }
  }

  /**
   * Counts the changes heard: take it before a read and pass it to `keep`. While the cache does not serve it is -1,
   * which no `keep` matches: a read that started then may predate a change whose message was lost.
   */
  get generation(): number {
    return this.serving() ? this.heard : -1;
  }

  /** the live session of a token hash, or undefined when it must be read from the database */
  session(hash: string, now: number): LiveSession | undefined {
    if (!this.serving()) return undefined;
    const cached = this.byHash.get(hash);
    if (!cached) return undefined;
    if (cached.staleAt <= now || cached.session.expiresAt.getTime() <= now) {
      this.drop(hash, cached.session.id);
      return undefined;
    }
    // least recently used first: a hit moves to the end
    this.byHash.delete(hash);
    this.byHash.set(hash, cached);
    return cached.session;
  }

  /** keeps a session read from the database, unless a change was heard since `generation` was taken */
  keep(hash: string, session: LiveSession, generation: number, now: number): void {
    if (generation !== this.heard || !this.serving()) return;
    const previous = this.byHash.get(hash);
    if (previous) this.drop(hash, previous.session.id);
    this.byHash.set(hash, { session, staleAt: now + this.ttlMs });
    this.hashBySession.set(session.id, hash);
    if (this.byHash.size > this.max) {
      const [oldest, entry] = this.byHash.entries().next().value as [string, Cached];
      this.drop(oldest, entry.session.id);
    }
  }

  /** a session ended (here, or heard from another instance) */
  forgetSession(sessionId: string): void {
    this.heard++;
    const hash = this.hashBySession.get(sessionId);
    if (hash !== undefined) this.drop(hash, sessionId);
  }

  /**
   * People were changed here (after the change committed): every session is read again, here at once and on the other
   * instances when they hear it; resolves once Redis has taken the message (or refused it, which is logged).
   */
  async usersChanged(): Promise<void> {
    this.clear();
    await this.redis?.publish
      .publish(this.channel, USERS_CHANGED)
      .catch((error: unknown) =>
        logger.error(
          { err: error },
          'sessions: could not tell other instances that people changed; their cached sessions stay until SESSION_CACHE_TTL_MS',
        ),
      );
  }

  close(): void {
    this.clear();
    this.redis?.subscribe.off('message', this.onMessage);
    this.redis?.subscribe.off('close', this.onLinkLost);
  }

  private serving(): boolean {
    if (!this.enabled) return false;
    if (this.redis && !this.redis.connected) {
      if (this.byHash.size) this.clear();
      return false;
    }
    return true;
  }

  private clear(): void {
    this.heard++;
    this.byHash.clear();
    this.hashBySession.clear();
  }

  private drop(hash: string, sessionId: string): void {
    this.byHash.delete(hash);
    if (this.hashBySession.get(sessionId) === hash) this.hashBySession.delete(sessionId);
  }
}
