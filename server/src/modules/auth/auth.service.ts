import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { Config } from '../../config';
import { UnauthenticatedError } from '../../common/errors';
import { User } from '../users/user.entity';
import { AuthSession } from './auth-session.entity';
import { verifyPassword } from './passwords';

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export class AuthService {
  constructor(private readonly config: Config) {}

  /** One error for an unknown login and a wrong password, so logins cannot be probed. */
  async login(em: EntityManager, login: string, password: string): Promise<{ token: string; user: User }> {
    const user = await em.findOne(User, { login: login.trim() });
    const ok = await verifyPassword(password, user?.passwordHash);
    if (!user || !ok) throw new UnauthenticatedError('The login or the password is incorrect. Check both and try again.');
    const token = randomBytes(32).toString('base64url');
    em.create(AuthSession, {
      tokenHash: tokenHash(token),
      user,
      expiresAt: new Date(Date.now() + this.config.sessionHours * 3600_000),
    });
    await em.flush();
    return { token, user };
  }

  async logout(em: EntityManager, token: string | null): Promise<boolean> {
    if (!token) return false;
    return (await em.nativeDelete(AuthSession, { tokenHash: tokenHash(token) })) > 0;
  }

  /** Reads `Bearer <token>` and returns the signed-in user, or null for no or an expired token. */
  async userFromAuthorization(em: EntityManager, authorization: unknown): Promise<User | null> {
    const token = bearerToken(authorization);
    if (!token) return null;
    const session = await em.findOne(AuthSession, { tokenHash: tokenHash(token) }, { populate: ['user'] });
    if (!session || session.expiresAt.getTime() <= Date.now()) return null;
    return session.user;
  }
}

export function bearerToken(authorization: unknown): string | null {
  if (typeof authorization !== 'string') return null;
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  return match ? match[1] : null;
}
