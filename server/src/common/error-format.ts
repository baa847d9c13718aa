import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { AppError } from './errors';
import { logger } from './logger';

/** Codes that graphql and Apollo themselves give to a malformed request; they are safe to show. */
const REQUEST_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
]);

export const INTERNAL_MESSAGE =
  'Something went wrong on the server. Your last action was not saved; please try again in a moment.';

/**
 * Refusals keep their code and sentence; anything unexpected is logged with
 * its detail here and reaches the client as a generic message, never a stack.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const thrown = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  // a refusal raised below the ORM (a full database queue) reaches here inside MikroORM's DriverException
  const refusal = (thrown as { refusal?: unknown } | null)?.refusal;
  const original = refusal instanceof AppError ? refusal : thrown;
  if (original instanceof AppError) {
    const { http: _http, ...extensions } = original.extensions; // `http` is for the transport (status, Retry-After), not the body
    return {
      message: original.message,
      path: formatted.path,
      locations: formatted.locations,
      extensions: { ...extensions, code: original.code },
    };
  }
  const code = formatted.extensions?.code;
  if (
    typeof code === 'string' &&
    REQUEST_CODES.has(code) &&
    !(original instanceof Error && !(original instanceof GraphQLError))
  ) {
    return {
      message: formatted.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: {
        code: code === 'GRAPHQL_PARSE_FAILED' || code === 'GRAPHQL_VALIDATION_FAILED' ? code : 'BAD_USER_INPUT',
      },
    };
  }
  if (!formatted.path && original instanceof GraphQLError && !original.originalError) {
    // a request-level error made by graphql itself (bad variables, unknown operation)
    return { message: formatted.message, locations: formatted.locations, extensions: { code: 'BAD_USER_INPUT' } };
  }
  logger.error({ err: original, path: formatted.path?.join('.') }, 'unexpected error');
  return {
    message: INTERNAL_MESSAGE,
    path: formatted.path,
    locations: formatted.locations,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
