import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { Request } from 'express';
import type { Context } from '../../context';
import { logContext } from '../../common/logger';
import type { Services } from '../../services';
import { clientSocketKey, type ApiPrincipal } from './api-client.service';

declare module 'http' {
  interface IncomingMessage {
    /** the API client that made the request (its request line names it; never its token) */
    apiClient?: { id: string; name: string };
  }
}

/** Names the client in every log line of the operation and counts it against the client's rate limit. */
export async function admitApiClient(services: Services, client: ApiPrincipal | null, req?: Request): Promise<void> {
  if (!client) return;
  const named = { id: client.id, name: client.name };
  if (req) req.apiClient = named;
  const origin = logContext.getStore();
  if (origin) origin.apiClient = named;
  await services.rateLimits.apiClientRequest(client.id, services.apiClients.perMinute(client));
}

/** The context of an HTTP request made with an API token (`Bearer att_…`): the client as a service principal. */
export async function apiClientHttpContext(
  em: EntityManager,
  services: Services,
  req: Request,
  authorization: string | undefined,
): Promise<Context> {
  const client = await services.apiClients.principal(em, authorization);
  await admitApiClient(services, client, req);
  return {
    em,
    services,
    authorization,
    session: null,
    requestId: String(req.id),
    user: client?.user ?? null,
    clientAddress: req.ip,
    apiClient: client,
  };
}

/** never: a client's sockets close on revocation, not on a time (session-sockets.ts re-arms its timer as needed) */
const NO_EXPIRY = new Date(8_640_000_000_000_000);

/** A new WebSocket opened with an API token: its client, kept for the socket's subscriptions; revocation closes it. */
export async function apiClientSocket(
  em: EntityManager,
  services: Services,
  authorization: unknown,
  socket: Parameters<Services['sessionSockets']['track']>[2],
): Promise<ApiPrincipal | null> {
  const client = await services.apiClients.principal(em, authorization);
  if (client) services.sessionSockets.track(clientSocketKey(client.id), NO_EXPIRY, socket);
  return client;
}

/**
 * The context of a WebSocket operation made with an API token: a subscription uses the client read when the socket
 * opened (revocation closes the socket); a query or mutation reads it afresh and counts against the rate limit.
 */
export async function apiClientWsContext(
  parts: Pick<Context, 'services' | 'requestId' | 'clientAddress' | 'closeSocket'> & {
    orm: MikroORM;
    authorization: string | undefined;
  },
  known: ApiPrincipal | null | undefined,
  subscribing: boolean,
): Promise<Context> {
  const { orm, services, authorization } = parts;
  let em: EntityManager | undefined;
  const client =
    subscribing && known !== undefined
      ? known
      : await services.apiClients.principal((em = orm.em.fork()), authorization);
  // a refusal thrown here would close the socket (4500): every root field answers it instead (client-scopes.ts)
  const apiClientRefusal = subscribing
    ? undefined
    : await admitApiClient(services, client).then(
        () => undefined,
        (error: Error) => error,
      );
  return {
    apiClientRefusal,
    // forked when first used, and again after `idle()`: a subscription holds no reads between its pushes
    get em() {
      return (em ??= orm.em.fork());
    },
    set em(value) {
      em = value;
    },
    idle: () => (em = undefined),
    services,
    authorization,
    session: null,
    requestId: parts.requestId,
    clientAddress: parts.clientAddress,
    closeSocket: parts.closeSocket,
    user: client?.user ?? null,
    apiClient: client,
  };
}
