import { hash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { Config } from '../../config';
import { UnauthenticatedError } from '../../common/errors';
import { plainRead } from '../../common/loaded';
import { instant, plainRows, type PlainStatements } from '../../common/plain-sql';
import type { RateLimits } from '../../common/rate-limits';
import { User, type Role } from '../users/user.entity';
import { AuthSession } from './auth-session.entity';
import { verifyPassword } from './passwords';
import { TurnBatch } from '../../common/turn-batch';
import type { LiveSession, SessionCache } from './session-cache';
import type { SessionSockets } from './session-sockets';

/** a session token as stored (SHA-256, hex): one-shot `hash`, without a Hash object per request */
export const tokenHash = (token: string) => hash('sha256', token, 'hex');

export type { LiveSession };

const SESSION_WITH_USER = `select s.id, s.expires_at, u.id as user_id, u.login, u.full_name, u.role
from auth_sessions s join users u on u.id = s.user_id where s.token_hash = ?`;
/** the same for many tokens at once (sockets opening together); the hashes are bound at the end */
const SESSIONS_WITH_USERS = `select s.token_hash, s.id, s.expires_at, u.id as user_id, u.login, u.full_name, u.role
from auth_sessions s join users u on u.id = s.user_id where s.token_hash in`;
interface SessionRow {
  id: string;
  expires_at: unknown;
  user_id: string;
  login: string;
  full_name: string;
  role: Role;
}
const liveSession = (row: SessionRow): LiveSession => ({
  id: row.id,
  expiresAt: instant(row.expires_at),
  user: plainRead(User, { id: row.user_id, login: row.login, fullName: row.full_name, role: row.role }),
});

export class AuthService {
  constructor(
    private readonly config: Config,
    private readonly limits: RateLimits,
    private readonly sockets: SessionSockets,
    private readonly cache: SessionCache,
  ) {}

  /**
   * One error for an unknown login and a wrong password, so logins cannot be probed. Failures slow
   * the next attempts and then lock the login (and the client address) for a while: TOO_MANY_REQUESTS.
   */
  async login(
    em: EntityManager,
    login: string,
    password: string,
    clientAddress?: string,
  ): Promise<{ token: string; user: User }> {
    const attempt = await this.limits.loginAttempt(login, clientAddress);
    const user = await em.findOne(User, { login: login.trim() });
    const ok = await verifyPassword(password, user?.passwordHash).catch(async (error: unknown) => {
      await attempt.notChecked(); // refused before the password was looked at (the server is busy): not a failure
      throw error;
    });
    if (!user || !ok)
      throw new UnauthenticatedError('The login or the password is incorrect. Check both and try again.');
    await attempt.succeeded();
    const token = randomBytes(32).toString('base64url');
    em.create(AuthSession, {
      tokenHash: tokenHash(token),
      user,
      expiresAt: new Date(Date.now() + this.config.sessionHours * 3600_000),
    });
    await em.flush();
    return { token, user };
  }

  /**
   * Ends the session: its token, its signed file links and its WebSockets (on every instance) stop at once. The answer
   * waits until Redis has taken the revocation, so a request sent to another instance after it is refused there too.
   */
  async logout(em: EntityManager, token: string | null): Promise<boolean> {
    if (!token) return false;
    const session = await em.findOne(AuthSession, { tokenHash: tokenHash(token) });
    if (!session) return false;
    const removed = await em.nativeDelete(AuthSession, { id: session.id });
    this.cache.forgetSession(session.id);
    await this.sockets.revoked(session.id);
    return removed > 0;
  }

  /**
   * Reads `Bearer <token>` and returns its live session with the user, or null for no or an expired token: the first
   * step of every request. A session this instance knows is not read again (session-cache.ts); else one prepared
   * statement of plain columns (never the password hash) and a plain user (common/loaded.ts), shared by the requests
   * of the session while it is cached, so only read: what a request writes names its actor by reference
   * (`em.getReference`), never this object.
   */
  async sessionFromAuthorization(sql: PlainStatements, authorization: unknown): Promise<LiveSession | null> {
    const token = bearerToken(authorization);
    if (!token) return null;
    const hash = tokenHash(token);
    const known = this.cache.session(hash, Date.now());
    if (known) return known;
    const generation = this.cache.generation;
    const [row] = await sql.rows<SessionRow>(SESSION_WITH_USER, [hash]);
    if (!row) return null;
    const session = liveSession(row);
    const now = Date.now();
    if (session.expiresAt.getTime() <= now) return null;
    this.cache.keep(hash, session, generation, now);
    return session;
  }

  /**
   * A new WebSocket's session, kept for the socket's life (hours) and used by its subscriptions alone (the user's id,
   * login, name and role, the session's id and expiry): read without the password hash, as plain values (no entity,
   * no EntityManager stays alive with it for every open socket), with the other sockets opening in the same turn:
   * one statement and one `fork()` for them all, not a fork a socket (MikroORM's fork is ~5 % of opening 5,000).
   */
  async socketSession(fork: () => EntityManager, authorization: unknown): Promise<LiveSession | null> {
    const token = bearerToken(authorization);
    if (!token) return null;
    const found = await this.openingSessions.add({ fork, tokenHash: tokenHash(token) });
    return found && found.expiresAt.getTime() > Date.now() ? found : null;
  }

  /** sockets opening in the same turn (a reconnect storm) have their sessions read in one plain statement per 1,000 */
  private readonly openingSessions = new TurnBatch<
    { fork: () => EntityManager; tokenHash: string },
    LiveSession | null
  >(async (asks) => {
    const em = asks[0].fork();
    const hashes = [...new Set(asks.map((ask) => ask.tokenHash))];
    const found = new Map<string, LiveSession>();
    for (let i = 0; i < hashes.length; i += 1_000) {
      const chunk = hashes.slice(i, i + 1_000);
      const rows = await plainRows<SessionRow & { token_hash: string }>(
        em,
        `${SESSIONS_WITH_USERS} (${chunk.map(() => '?').join(', ')})`,
        chunk,
      );
      for (const row of rows) found.set(row.token_hash, liveSession(row));
    }
    return asks.map((ask) => found.get(ask.tokenHash) ?? null);
  });

  /** A live session by id (signed file links name their session), or null once it was logged out or expired. */
  async liveSession(em: EntityManager, sessionId: string): Promise<AuthSession | null> {
    const session = await em.findOne(AuthSession, { id: sessionId }, { populate: ['user'] });
    return session && session.expiresAt.getTime() > Date.now() ? session : null;
  }
}

export function bearerToken(authorization: unknown): string | null {
  if (typeof authorization !== 'string') return null;
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  return match ? match[1] : null;
}
