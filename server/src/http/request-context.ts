import type { Request } from 'express';
import type { MikroORM } from '@mikro-orm/core';
import type { Context } from '../context';
import type { Services } from '../services';
import { ApiClientService } from '../modules/api-clients/api-client.service';
import { apiClientHttpContext } from '../modules/api-clients/client-context';

/** The context of one HTTP request (GraphQL or /files): a forked EntityManager and the caller's session. */
export function httpContext(orm: MikroORM, services: Services) {
  return async (req: Request): Promise<Context> => {
    const em = orm.em.fork();
    const authorization = req.headers.authorization;
    if (ApiClientService.isApiToken(authorization)) return apiClientHttpContext(em, services, req, authorization);
    const session = await services.auth.sessionFromAuthorization(em, authorization);
    return {
      em,
      services,
      authorization,
      session,
      requestId: String(req.id),
      user: session?.user ?? null,
      clientAddress: req.ip,
    };
  };
}

export type ContextFor = ReturnType<typeof httpContext>;
