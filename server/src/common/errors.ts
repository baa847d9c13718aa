import { GraphQLError } from 'graphql';

/** The contract's refusal codes; each refusal is one class so a code cannot be misspelt. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'EXAM_NOT_STARTED'
  | 'EXAM_ENDED'
  | 'TICKET_TAKEN'
  | 'TICKET_ALREADY_CHOSEN'
  | 'NO_FREE_TICKETS'
  | 'ANSWER_SUBMITTED'
  | 'ANSWER_TOO_SHORT'
  // beyond the contract: a save or send over a version of the answer newer than the page saw (another device or tab)
  | 'ANSWER_CONFLICT'
  // beyond the contract: a change to a running exam that the caller must confirm
  | 'CONFIRMATION_REQUIRED'
  // beyond the contract: a rate limit or a full queue; extensions.retryAfter says in how many seconds to try again
  | 'TOO_MANY_REQUESTS'
  // an operation over the request limits (depth, aliases, directives, tokens, cost): refused before anything runs
  | 'QUERY_TOO_COMPLEX'
  // issue 12 (retakes): a retake needs the exam's results published first
  | 'RESULTS_NOT_PUBLISHED'
  // issue 12 (retakes): no student of the exam has a published FX grade
  | 'NO_FX_STUDENTS'
  // issue 12 (retakes): every FX student of the exam is already enrolled in a retake of it
  | 'RETAKE_EXISTS'
  // issue 12 (retakes): a retake is not retaken again (its FX means re-taking the course)
  | 'RETAKE_OF_RETAKE';

export abstract class AppError extends GraphQLError {
  abstract readonly code: ErrorCode;
  /** the HTTP status used when the refusal travels over the plain file endpoints */
  readonly httpStatus: number = 400;
  constructor(message: string, code: ErrorCode, extensions: Record<string, unknown> = {}) {
    super(message, withoutStackTrace({ extensions: { ...extensions, code } }));
    Error.stackTraceLimit = savedStackTraceLimit;
  }
}

// A refusal is an answer, not a fault: it collects no stack trace, which graphql-js would otherwise format for every
// refusal it wraps (a ticket race refuses thousands a second). Set while the arguments of super() are evaluated.
let savedStackTraceLimit = Error.stackTraceLimit;
function withoutStackTrace<T>(options: T): T {
  savedStackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  return options;
}

const define = (code: ErrorCode, httpStatus: number) =>
  class extends AppError {
    readonly code = code;
    readonly httpStatus = httpStatus;
    constructor(message: string) {
      super(message, code);
    }
  };

export class UnauthenticatedError extends define('UNAUTHENTICATED', 401) {}
export class ForbiddenError extends define('FORBIDDEN', 403) {}
export class NotFoundError extends define('NOT_FOUND', 404) {}
export class BadUserInputError extends define('BAD_USER_INPUT', 400) {}
export class ExamNotStartedError extends define('EXAM_NOT_STARTED', 409) {}
export class ExamEndedError extends define('EXAM_ENDED', 409) {}
export class TicketTakenError extends define('TICKET_TAKEN', 409) {}
export class TicketAlreadyChosenError extends define('TICKET_ALREADY_CHOSEN', 409) {}
export class NoFreeTicketsError extends define('NO_FREE_TICKETS', 409) {}
export class AnswerSubmittedError extends define('ANSWER_SUBMITTED', 409) {}
export class AnswerTooShortError extends define('ANSWER_TOO_SHORT', 400) {}
export class ConfirmationRequiredError extends define('CONFIRMATION_REQUIRED', 409) {}
export class QueryTooComplexError extends define('QUERY_TOO_COMPLEX', 400) {}
export class ResultsNotPublishedError extends define('RESULTS_NOT_PUBLISHED', 409) {}
export class NoFxStudentsError extends define('NO_FX_STUDENTS', 409) {}
export class RetakeExistsError extends define('RETAKE_EXISTS', 409) {}
export class RetakeOfRetakeError extends define('RETAKE_OF_RETAKE', 409) {}

/**
 * A save or send carried a `baseVersion` older than the answer's: it was changed on another device or tab meanwhile.
 * `extensions.currentVersion` is the version the server holds (the student's own answer; its text is read as usual).
 */
export class AnswerConflictError extends AppError {
  readonly code = 'ANSWER_CONFLICT';
  readonly httpStatus = 409;
  constructor(
    message: string,
    readonly currentVersion: number,
  ) {
    super(message, 'ANSWER_CONFLICT', { currentVersion });
  }
}

/** A limit was reached: HTTP 429 with Retry-After, and `extensions.retryAfter` in whole seconds. */
export class TooManyRequestsError extends AppError {
  readonly code = 'TOO_MANY_REQUESTS';
  readonly httpStatus = 429;
  constructor(
    message: string,
    readonly retryAfter: number,
  ) {
    super(message, 'TOO_MANY_REQUESTS', {
      retryAfter,
      // Apollo sets the response's status and headers from this and leaves it out of the response body
      http: { status: 429, headers: new Map([['retry-after', String(retryAfter)]]) },
    });
  }
}

export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; name?: string; message?: string };
  return (
    e?.name === 'UniqueConstraintViolationException' ||
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint failed/.test(e?.message ?? '')
  );
}
