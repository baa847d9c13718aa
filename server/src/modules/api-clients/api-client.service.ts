import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { Config } from '../../config';
import { BadUserInputError, NotFoundError } from '../../common/errors';
import { plainRead } from '../../common/loaded';
import { logger } from '../../common/logger';
import { instantOrNull, plainRows } from '../../common/plain-sql';
import { bearerToken, tokenHash } from '../auth/auth.service';
import type { SessionSockets } from '../auth/session-sockets';
import { Role, User } from '../users/user.entity';
import { ApiClient } from './api-client.entity';
import { ALL_SCOPES, type ApiScope } from './scopes';

/** Every API token starts with this, so a leaked one is recognised (secret scanners, logs) and told from a session token. */
export const API_TOKEN_PREFIX = 'att_';

/** last-used time is written at most this often per client (not once per request) */
export const LAST_USED_WRITE_MS = 60_000;

/** What a request made with an API token knows of its client. */
export interface ApiPrincipal {
  id: string;
  name: string;
  scopes: ReadonlySet<ApiScope>;
  /** per-client limit, or null for the server's default */
  requestsPerMinute: number | null;
  /**
   * the principal as the resolvers' `ctx.user`: not a person (no users row, no password), with staff's role so the
   * role checks of the fields it may use pass; the scopes decide what it may use (api-clients/client-scopes.ts)
   */
  user: User;
}

export interface NewApiClient {
  name: string;
  scopes: ApiScope[];
  requestsPerMinute?: number | null;
}

/** the key under which a client's open WebSockets are tracked (session-sockets.ts) and closed on revocation */
export const clientSocketKey = (clientId: string) => `api-client:${clientId}`;

const CLIENT_BY_TOKEN = `select id, name, scopes, requests_per_minute, last_used_at, revoked_at
from api_clients where token_hash = ?`;

export class ApiClientService {
  /** when this instance last wrote a client's last-used time (other instances: the row's own value) */
  private readonly lastWritten = new Map<string, number>();

  constructor(
    private readonly config: Config,
    private readonly sockets: SessionSockets,
  ) {}

  /** whether an Authorization value carries an API token (rather than a person's session token) */
  static isApiToken(authorization: unknown): boolean {
    return bearerToken(authorization)?.startsWith(API_TOKEN_PREFIX) ?? false;
  }

  list(em: EntityManager): Promise<ApiClient[]> {
    return em.find(ApiClient, {}, { orderBy: { createdAt: 'desc' }, populate: ['createdBy'] });
  }

  /** A new client and its token: the token is returned this once and only its SHA-256 is kept. */
  async create(em: EntityManager, creator: User, input: NewApiClient): Promise<{ client: ApiClient; token: string }> {
    const name = input.name.trim();
    if (!name || name.length > 100) throw new BadUserInputError('Give the client a name of 1 to 100 characters.');
    const scopes = [...new Set(input.scopes)];
    if (!scopes.length) throw new BadUserInputError('Choose at least one scope: a client without one can do nothing.');
    const unknown = scopes.filter((s) => !ALL_SCOPES.includes(s));
    if (unknown.length) throw new BadUserInputError(`Unknown scopes: ${unknown.join(', ')}.`);
    const perMinute = input.requestsPerMinute ?? null;
    if (perMinute !== null && (!Number.isInteger(perMinute) || perMinute < 1 || perMinute > 100_000))
      throw new BadUserInputError('The rate limit must be a whole number of requests per minute from 1 to 100000.');
    // 32 random bytes (256 bits): SHA-256 without salt or stretching is right for a secret this long
    const token = API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const client = em.create(ApiClient, {
      name,
      scopeText: ALL_SCOPES.filter((s) => scopes.includes(s)).join(' '),
      tokenHash: tokenHash(token),
      tokenStart: token.slice(0, API_TOKEN_PREFIX.length + 4),
      requestsPerMinute: perMinute,
      createdBy: em.getReference(User, creator.id),
    });
    await em.flush();
    await em.populate(client, ['createdBy']);
    logger.info({ event: 'api-client-created', apiClient: { id: client.id, name }, scopes }, 'API client created');
    return { client, token };
  }

  /** Revokes a client: its token is refused from the next request on, and its open WebSockets (every instance) close. */
  async revoke(em: EntityManager, id: string): Promise<ApiClient> {
    const client = await em.findOne(ApiClient, { id }, { populate: ['createdBy'] });
    if (!client) throw new NotFoundError('There is no such API client.');
    if (!client.revokedAt) {
      client.revokedAt = new Date();
      await em.flush();
      logger.info({ event: 'api-client-revoked', apiClient: { id, name: client.name } }, 'API client revoked');
    }
    await this.sockets.revoked(clientSocketKey(id));
    return client;
  }

  /**
   * The client of an `Authorization: Bearer att_…` value, or null when the token is unknown or revoked. Read on every
   * request (one indexed statement, no cache), so a revocation holds from the next request on.
   */
  async principal(em: EntityManager, authorization: unknown): Promise<ApiPrincipal | null> {
    const token = bearerToken(authorization);
    if (!token?.startsWith(API_TOKEN_PREFIX)) return null;
    const [row] = await plainRows<{
      id: string;
      name: string;
      scopes: string;
      requests_per_minute: number | null;
      last_used_at: unknown;
      revoked_at: unknown;
    }>(em, CLIENT_BY_TOKEN, [tokenHash(token)]);
    if (!row || row.revoked_at != null) return null;
    this.used(em, row.id, instantOrNull(row.last_used_at));
    return {
      id: row.id,
      name: row.name,
      scopes: new Set(row.scopes.split(' ').filter(Boolean) as ApiScope[]),
      requestsPerMinute: row.requests_per_minute == null ? null : Number(row.requests_per_minute),
      user: plainRead(User, { id: row.id, login: `api-client:${row.id}`, fullName: row.name, role: Role.STAFF }),
    };
  }

  /** the default per-client limit applies when the client has none of its own */
  perMinute(principal: ApiPrincipal): number {
    return principal.requestsPerMinute ?? this.config.apiClientRequestsPerMinute;
  }

  /** records the last use at most once a minute per client, after the request (a failed write only logs) */
  private used(em: EntityManager, id: string, stored: Date | null): void {
    const now = Date.now();
    const last = Math.max(stored?.getTime() ?? 0, this.lastWritten.get(id) ?? 0);
    if (now - last < LAST_USED_WRITE_MS) return;
    this.lastWritten.set(id, now);
    em.fork()
      .nativeUpdate(ApiClient, { id }, { lastUsedAt: new Date(now) })
      .catch((error: unknown) => logger.warn({ err: error, apiClient: { id } }, 'could not record an API client use'));
  }
}
