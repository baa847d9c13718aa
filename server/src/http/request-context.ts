import type { Request } from 'express';
import type { MikroORM } from '@mikro-orm/core';
import { OperationContext, type Context } from '../context';
import type { Services } from '../services';
import { plainSql } from '../common/plain-sql';
import { ApiClientService } from '../modules/api-clients/api-client.service';
import { apiClientHttpContext } from '../modules/api-clients/client-context';

/**
 * The context of one HTTP request (GraphQL or /files): the caller's session, read in plain SQL, and an EntityManager
 * forked when first used — as a WebSocket operation's (graphql-ws.ts) — so a request that needs only plain SQL and
 * the session (a refused ticket attempt, nearly all of a ticket race) forks none.
 */
export function httpContext(orm: MikroORM, services: Services) {
  const sql = plainSql(orm.em); // the runner of the database, not of an EntityManager: nothing is forked for it
  return async (req: Request): Promise<Context> => {
    const authorization = req.headers.authorization;
    if (ApiClientService.isApiToken(authorization))
      return apiClientHttpContext(orm.em.fork(), services, req, authorization);
    const session = await services.auth.sessionFromAuthorization(sql, authorization);
    return new HttpOperationContext(orm, sql, services, authorization, session, String(req.id), clientAddress(req));
  };
}

/**
 * Express's `req.ip`: without X-Forwarded-For it is the socket's address whatever TRUST_PROXY says (proxy-addr has
 * nothing to walk), so only a forwarded request pays for the walk
 */
const clientAddress = (req: Request): string | undefined =>
  req.headers['x-forwarded-for'] === undefined ? req.socket.remoteAddress : req.ip;

export type ContextFor = ReturnType<typeof httpContext>;

/** an HTTP request's context: what every operation's context holds (context.ts), nothing more */
class HttpOperationContext extends OperationContext {}
