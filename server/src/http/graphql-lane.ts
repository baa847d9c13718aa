import http from 'node:http';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';

type ErrorHandler = (error: Error, req: Request, res: Response, next: NextFunction) => void;

export interface GraphqlLaneParts {
  app: Express;
  /** the app-level middlewares every request passes before any route (headers, logging, metrics, compression) */
  front: readonly RequestHandler[];
  /** what Express mounts on /graphql, in its order (turns, body, log context, limits, the direct lane, Apollo) */
  graphql: readonly RequestHandler[];
  /** after them, as in Express: nothing answered (404) */
  notFound: RequestHandler;
  /** Express's last handler: whatever a middleware passed on as an error */
  errors: ErrorHandler;
  /** the classes the server was created with (`expressShapes`): their requests keep their prototypes */
  shapes?: ExpressShapes;
}

/**
 * http.createServer's request and response classes, born with what Express's prototypes give (`app.request` and
 * `app.response`: their methods, getters and `app`), so the lane has no prototype to swap. Swapping it per request
 * (`Object.setPrototypeOf`, as Express does) gives every request and response a map of its own kind, which leaves
 * Node's HTTP code and every middleware's property accesses polymorphic: measured on this machine (3 December), a
 * small JSON POST cost ~50 µs of CPU with born prototypes against 130–170 µs with swapped ones. Express still swaps
 * them for the requests it serves itself, as before.
 */
export function expressShapes(app: Express) {
  class ExpressRequest extends http.IncomingMessage {}
  class ExpressResponse extends http.ServerResponse {}
  adopt(ExpressRequest.prototype, app.request);
  adopt(ExpressResponse.prototype, app.response);
  return { IncomingMessage: ExpressRequest, ServerResponse: ExpressResponse };
}

export type ExpressShapes = ReturnType<typeof expressShapes>;

/** Express's own methods and getters (the prototype of `app.request`), then what the app adds over them (`app`) */
function adopt(target: object, appPrototype: object): void {
  Object.defineProperties(target, Object.getOwnPropertyDescriptors(Object.getPrototypeOf(appPrototype)));
  Object.defineProperties(target, Object.getOwnPropertyDescriptors(appPrototype));
}

/**
 * `POST /graphql` — nearly every request of an exam day — through the same middlewares, in the same order, as Express
 * would run them for it (`front`, then what `graphqlOverHttp` mounts on /graphql, then the 404 and the error handler),
 * called one after another instead of through Express's router: no layer matching, path trimming, parameter
 * processing and debug calls per middleware per request. The request and response get Express's prototypes, as
 * Express gives them, so every middleware sees what it sees under Express; a rejected promise or `next(error)` goes to
 * the error handler, as in Express 5. Any other method or address (a query string included) goes to Express.
 */
export function graphqlLane({ app, front, graphql, notFound, errors, shapes }: GraphqlLaneParts) {
  const chain: RequestHandler[] = [...front, ...graphql, notFound];
  // what app.handle and the router set up before the first middleware, and what the /graphql mount shows inside it
  const request = app.request as unknown as object;
  const response = app.response as unknown as object;
  const last: NextFunction = () => undefined;

  const run = (req: Request, res: Response) => {
    let index = 0;
    let failed = false;
    const next: NextFunction = (error?: unknown) => {
      if (failed) return;
      if (error !== undefined && error !== null && error !== 'route' && error !== 'router') {
        failed = true;
        errors(error as Error, req, res, last);
        return;
      }
      const handler = chain[index++];
      if (!handler) return;
      try {
        const result = handler(req, res, next) as unknown;
        if (result instanceof Promise)
          result.then(undefined, (rejection: unknown) => next(rejection ?? new Error('Rejected promise')));
      } catch (thrown) {
        next(thrown ?? new Error('thrown'));
      }
    };
    next();
  };

  /** true when it has taken the request */
  return (incoming: http.IncomingMessage, outgoing: http.ServerResponse): boolean => {
    if (incoming.method !== 'POST' || incoming.url !== '/graphql') return false;
    const req = incoming as Request;
    const res = outgoing as Response;
    req.res = res;
    res.req = req;
    if (!shapes || !(incoming instanceof shapes.IncomingMessage) || !(outgoing instanceof shapes.ServerResponse)) {
      Object.setPrototypeOf(req, request);
      Object.setPrototypeOf(res, response);
    }
    if (!res.locals) res.locals = Object.create(null) as Response['locals'];
    req.originalUrl = req.url;
    req.baseUrl = '';
    req.params = {};
    req.next = () => undefined;
    run(req, res);
    return true;
  };
}
