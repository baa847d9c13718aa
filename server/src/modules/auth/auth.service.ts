import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { Config } from '../../config';
import { UnauthenticatedError } from '../../common/errors';
import { plainSql } from '../../common/plain-sql';
import type { RateLimits } from '../../common/rate-limits';
import { User } from '../users/user.entity';
import { AuthSession } from './auth-session.entity';
import { verifyPassword } from './passwords';
import type { SessionSockets } from './session-sockets';

/** a session by its token's hash, with its user (all the columns that `em.map` needs to give loaded entities) */
const SESSION_WITH_USER = `select s.id, s.created_at, s.updated_at, s.token_hash, s.user_id, s.expires_at,
  u.id as u__id, u.created_at as u__created_at, u.updated_at as u__updated_at, u.login as u__login, u.full_name as u__full_name,
  u.role as u__role, u.password_hash as u__password_hash
  from auth_sessions s join users u on u.id = s.user_id where s.token_hash = ?`;

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export class AuthService {
  constructor(
    private readonly config: Config,
    private readonly limits: RateLimits,
    private readonly sockets: SessionSockets,
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

  /** Ends the session: its token, its signed file links and its WebSockets (on every instance) stop at once. */
  async logout(em: EntityManager, token: string | null): Promise<boolean> {
    if (!token) return false;
    const session = await em.findOne(AuthSession, { tokenHash: tokenHash(token) });
    if (!session) return false;
    const removed = await em.nativeDelete(AuthSession, { id: session.id });
    this.sockets.revoked(session.id);
    return removed > 0;
  }

  /** Reads `Bearer <token>` and returns its live session (with the user), or null for no or an expired token. */
  async sessionFromAuthorization(em: EntityManager, authorization: unknown): Promise<AuthSession | null> {
    const token = bearerToken(authorization);
    if (!token) return null;
    // every request's first statement: plain SQL with a bound parameter, the row mapped without query building
    const sql = plainSql(em);
    const [row] = await sql.rows<Record<string, unknown>>(SESSION_WITH_USER, [tokenHash(token)]);
    if (!row || sql.date(row.expires_at)!.getTime() <= Date.now()) return null;
    const session: Record<string, unknown> = {};
    const user: Record<string, unknown> = {};
    for (const [column, value] of Object.entries(row)) {
      if (column.startsWith('u__')) user[column.slice(3)] = value;
      else session[column] = value;
    }
    em.map(User, user); // first, so the session's user is this loaded entity, not a reference
    return em.map(AuthSession, session);
  }

  /** The signed-in user of `Bearer <token>`, or null. */
  async userFromAuthorization(em: EntityManager, authorization: unknown): Promise<User | null> {
    return (await this.sessionFromAuthorization(em, authorization))?.user ?? null;
  }

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
