import { HttpErrorResponse } from '@angular/common/http';
import { CombinedGraphQLErrors, CombinedProtocolErrors, ServerError, UnconventionalError } from '@apollo/client';
import type { MessageKey } from '../i18n/kk';

/** The refusal codes of the API (extensions.code and the file endpoints), plus NETWORK for "no answer at all". */
const KNOWN_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'EXAM_NOT_STARTED',
  'EXAM_ENDED',
  'TICKET_TAKEN',
  'TICKET_ALREADY_CHOSEN',
  'NO_FREE_TICKETS',
  'ANSWER_SUBMITTED',
  'ANSWER_TOO_SHORT',
  'ANSWER_CONFLICT',
  'FILE_TOO_LARGE',
  'TOO_MANY_FILES',
  'ANSWER_TOO_LARGE',
  'EMPTY_FILE',
  'UPLOAD_FAILED',
  'TOO_MANY_REQUESTS',
  'NETWORK',
  'INTERNAL_SERVER_ERROR',
  // issue 12: grade publication
  'GRADE_PUBLISHED',
  'GRADE_NOT_PUBLISHED',
  'EXAM_NOT_ENDED',
  'UNGRADED_ANSWERS',
  'RESULTS_ALREADY_PUBLISHED',
  'APPEAL_WINDOW_CLOSED',
  'APPEAL_EXISTS',

  'NOT_ON_COMMISSION',
  'APPEAL_STATE',
  // issue 12: blind marking needs results released on publication
  'BLIND_NEEDS_PUBLICATION',
] as const;
export type ErrorCode = (typeof KNOWN_CODES)[number];

/** An error that already carries its code, e.g. a refused upload. */
export class CodedError extends Error {
  constructor(
    readonly code: string,
    message = code,
  ) {
    super(message);
  }
}

/** The extensions of the first GraphQL error, also when it came with a 4xx status (e.g. 429), which Apollo reports as a ServerError. */
function firstExtensions(error: unknown): Record<string, unknown> | undefined {
  if (CombinedGraphQLErrors.is(error)) return error.errors[0]?.extensions;
  if (ServerError.is(error)) {
    try {
      return (JSON.parse(error.bodyText) as { errors?: { extensions?: Record<string, unknown> }[] }).errors?.[0]
        ?.extensions;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * The code of whatever an operation failed with; anything the server did not name is INTERNAL_SERVER_ERROR, except
 * while the browser is offline: then no server was reached, and the reason is NETWORK ("no connection").
 */
export function errorCode(error: unknown): ErrorCode {
  if (UnconventionalError.is(error)) return errorCode(error.cause);
  let code: unknown;
  if (error instanceof CodedError) code = error.code;
  else if (typeof navigator !== 'undefined' && navigator.onLine === false) code = 'NETWORK';
  else if (CombinedGraphQLErrors.is(error)) code = firstExtensions(error)?.['code'];
  else if (CombinedProtocolErrors.is(error)) code = 'NETWORK';
  else if (ServerError.is(error))
    code = firstExtensions(error)?.['code'] ?? (error.statusCode >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_USER_INPUT');
  else if (error instanceof HttpErrorResponse)
    code = error.status === 0 || error.status >= 502 ? 'NETWORK' : 'INTERNAL_SERVER_ERROR';
  else if (error instanceof TypeError || (error instanceof Error && /network|fetch|offline/i.test(error.message)))
    code = 'NETWORK';
  return (KNOWN_CODES as readonly unknown[]).includes(code) ? (code as ErrorCode) : 'INTERNAL_SERVER_ERROR';
}

/** TOO_MANY_REQUESTS: in how many seconds the server takes the request again, when it said so. */
export function retryAfterSeconds(error: unknown): number | null {
  const value = firstExtensions(error)?.['retryAfter'];
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.ceil(value) : null;
}

export function errorMessageKey(error: unknown): MessageKey {
  return `error.${errorCode(error)}`;
}
