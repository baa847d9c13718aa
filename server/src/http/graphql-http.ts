import { Router, type Request, type RequestHandler } from 'express';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { Config } from '../config';
import type { Context } from '../context';
import { graphqlTokenLimit, requestErrorStatus } from '../common/http-guards';
import { logContext, logger } from '../common/logger';
import { inputRefusal, limitRules, withoutSuggestions } from '../common/request-limits';
import { requestTurns, type RequestTurns } from '../common/turns';
import type { Services } from '../services';
import { graphqlDirect } from './graphql-direct';
import { jsonBody } from './json-body';
import { withLogContext, type ErrorReporter } from './observability';
import type { ContextFor } from './request-context';

export interface GraphqlOverHttpParts {
  schema: GraphQLSchema;
  config: Config;
  services: Services;
  contextFor: ContextFor;
  reportError: ErrorReporter;
  /** the server's one queue of request turns, shared with the file routes */
  turns: RequestTurns;
  /** run first when Apollo stops (the WebSocket side ends its operations) */
  drainServer: () => Promise<void>;
}

/** GraphQL over HTTP on /graphql: behind the request turns, the body and token limits, the direct lane for known valid operations, then Apollo Server. */
export async function graphqlOverHttp({
  schema,
  config,
  services,
  contextFor,
  reportError,
  turns,
  drainServer,
}: GraphqlOverHttpParts) {
  const limits = config.requestLimits;
  const formatError = (formatted: GraphQLFormattedError, error: unknown) =>
    withoutSuggestions(reportError(formatted, error), limits);
  const apollo = new ApolloServer<Context>({
    schema,
    formatError,
    logger: logger.child({ component: 'apollo' }),
    includeStacktraceInErrorResponses: false,
    // the cost limits, and NoSchemaIntrospectionCustomRule when GRAPHQL_INTROSPECTION is off: one list for both transports
    validationRules: limitRules(limits),
    introspection: true,
    parseOptions: { maxTokens: limits.maxTokens },
    stopOnTerminationSignals: false, // main.ts owns the signals and stops everything in order
    plugins: [
      // no Apollo drain plugin: it ends idle keep-alive sockets unannounced (resets); stop() drains through HttpDrain
      // Apollo's landing page loads its scripts from Apollo's CDN, which the Content-Security-Policy refuses
      ApolloServerPluginLandingPageDisabled(),
      // no cache hints in this schema: Apollo's default cache-control plugin would only wrap every field's resolver
      ApolloServerPluginCacheControlDisabled(),
      requestErrorStatus,
      {
        // PostgreSQL cannot store a NUL character; refuse it (and too deep variables) up front, on either database
        async requestDidStart() {
          return {
            async didResolveOperation({ document, request }) {
              const refusal = inputRefusal(document, request.variables, limits);
              if (refusal) throw refusal;
            },
          };
        },
      },
      {
        // error lines name the operation as well as the request
        async requestDidStart({ request }) {
          const origin = logContext.getStore();
          if (origin) origin.operation = request.operationName ?? undefined;
          return {
            async didResolveOperation({ operationName }) {
              if (origin) origin.operation = operationName ?? undefined;
            },
          };
        },
      },
      {
        async serverWillStart() {
          return { drainServer };
        },
      },
    ],
  });
  await apollo.start();

  /** requests without a valid token are limited per client address (429 beyond) */
  const madeContext = async (req: Request): Promise<Context> => {
    const ctx = await contextFor(req);
    if (!ctx.user) await services.rateLimits.anonymousRequest(ctx.clientAddress);
    return ctx;
  };
  // made once per request: the direct lane may make it and then leave the request to Apollo (variables that do not
  // coerce), which then gets the same one, so the anonymous rate limit counts the request once
  const contexts = new WeakMap<Request, Promise<Context>>();
  const graphqlContext = (req: Request): Promise<Context> => {
    let context = contexts.get(req);
    if (!context) contexts.set(req, (context = madeContext(req)));
    return context;
  };
  // in this order on /graphql, under Express (the router) and in the lane for POST /graphql (graphql-lane.ts)
  const handlers: RequestHandler[] = [
    requestTurns(turns), // a burst of requests starts one per turn of the event loop (common/turns.ts)
    jsonBody(config.maxRequestBytes), // express.json, with the plain body of nearly every request read directly
    withLogContext,
    graphqlTokenLimit(limits),
    // a valid operation, already known, is executed directly; anything else is Apollo's (graphql-direct.ts)
    graphqlDirect({ schema, limits, contextFor: graphqlContext, formatError }),
    expressMiddleware(apollo, { context: ({ req }) => graphqlContext(req) }),
  ];
  const router = Router();
  router.use('/graphql', ...handlers);
  return { router, handlers, stop: () => apollo.stop() };
}
