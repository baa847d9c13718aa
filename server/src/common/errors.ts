import { GraphQLError, getLocation, type ASTNode } from 'graphql';

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
  // issue 12 (beyond the contract): a published grade changes only by a correction or an appeal
  | 'GRADE_PUBLISHED'
  // issue 12: a correction of a grade the student has not been shown (edit the draft instead)
  | 'GRADE_NOT_PUBLISHED'
  // issue 12: results are published only after the exam has ended for every student
  | 'EXAM_NOT_ENDED'
  // issue 12: results are published only when every sent answer is graded; extensions.ungraded says how many are not
  | 'UNGRADED_ANSWERS'
  // issue 12: the exam's results were already published
  | 'RESULTS_ALREADY_PUBLISHED'
  // issue 12, appeals: the window after publication is over; extensions.deadline says when it closed
  | 'APPEAL_WINDOW_CLOSED'
  // a sitting takes one appeal
  | 'APPEAL_EXISTS'
  // a teacher who is not on the appeal's commission tried to decide it
  | 'NOT_ON_COMMISSION'
  // the appeal's state does not allow the step (decided already; no commission yet)
  | 'APPEAL_STATE'
  // issue 12 (retakes): a retake needs the exam's results published first
  | 'RESULTS_NOT_PUBLISHED'
  // issue 12 (retakes): no student of the exam has a published FX grade
  | 'NO_FX_STUDENTS'
  // issue 12 (retakes): every FX student of the exam is already enrolled in a retake of it
  | 'RETAKE_EXISTS'
  // issue 12 (retakes): a retake is not retaken again (its FX means re-taking the course)
  | 'RETAKE_OF_RETAKE'
  // issue 13: an external id that the student information system gave to another login (or a login that has another one)
  | 'EXTERNAL_ID_CLASH'
  // issue 13, schedule import: the file cannot be read as a schedule (not CSV/XLSX, too large, columns missing …)
  | 'IMPORT_FILE_INVALID'
  // issue 13, schedule import: the real import was refused because rows have problems; extensions.problems lists them
  | 'SCHEDULE_HAS_PROBLEMS'
  // issue 12, blind marking: blind marking hides names until publication, so it needs results released ON_PUBLICATION
  | 'BLIND_NEEDS_PUBLICATION'
  // issue 13, paging: an `after` cursor that this connection did not hand out (garbled, or another list's)
  | 'BAD_CURSOR';

/**
 * What each refusal code means, for integrators: printed in the schema's description (schema.graphql) and checked
 * against the README by a spec. A new code in ErrorCode does not compile until it is explained here.
 */
export const ERROR_CODE_MEANINGS: Record<ErrorCode, string> = {
  UNAUTHENTICATED: 'no valid session token: sign in (`login`) and send `Authorization: Bearer <token>` (HTTP 401)',
  FORBIDDEN:
    "the caller's role may not do or see this, or an API client lacks the field's scope (`extensions.missingScope` names it) or uses a field for people only (HTTP 403)",
  NOT_FOUND: 'no such record, or it is not open to the caller (HTTP 404)',
  BAD_USER_INPUT: 'an argument breaks a rule; the message says which and how to fix it (HTTP 400)',
  EXAM_NOT_STARTED: 'the exam has not started yet by the server clock (HTTP 409)',
  EXAM_ENDED: 'the exam has ended for this student (their own end, extra time included) (HTTP 409)',
  TICKET_TAKEN: 'another student took this ticket first: choose another (HTTP 409)',
  TICKET_ALREADY_CHOSEN: 'the student already holds a ticket at this exam (HTTP 409)',
  NO_FREE_TICKETS: 'every ticket of the exam is taken (HTTP 409)',
  ANSWER_SUBMITTED: 'the answer has been sent and is locked (HTTP 409)',
  ANSWER_TOO_SHORT: 'an answer is sent only with at least the minimum text or a non-empty file (HTTP 400)',
  ANSWER_CONFLICT:
    'the answer changed on another device or tab since `baseVersion`; `extensions.currentVersion` is the newer version (HTTP 409)',
  CONFIRMATION_REQUIRED:
    'the exam has started: send the same change again with `confirmStarted: true` to make it (HTTP 409)',
  TOO_MANY_REQUESTS:
    'a rate limit or a full queue; `extensions.retryAfter` (seconds) and the `Retry-After` header say when to try again (HTTP 429)',
  QUERY_TOO_COMPLEX:
    'the operation is over a request limit (depth, aliases, directives, tokens or cost); nothing ran (HTTP 400)',
  GRADE_PUBLISHED:
    'the grade is published (the student has seen it): it changes only by `correctGrade` (staff) or an appeal (HTTP 409)',
  GRADE_NOT_PUBLISHED:
    'the grade is not published yet: edit the draft with `gradeSitting`, or appeal once it is published (HTTP 409)',
  EXAM_NOT_ENDED:
    "the exam's results wait until the last student's end (extra time included) plus the send grace has passed (HTTP 409)",
  UNGRADED_ANSWERS:
    'some sent answers have no grade yet; `extensions.ungraded` says how many: grade them, then publish (HTTP 409)',
  RESULTS_ALREADY_PUBLISHED: "the exam's results were already published; nothing changed (HTTP 409)",
  APPEAL_WINDOW_CLOSED:
    'the appeal window (working days after publication) is over; `extensions.deadline` is the instant it closed (HTTP 409)',
  APPEAL_EXISTS: 'the sitting already has an appeal: one per sitting (HTTP 409)',
  NOT_ON_COMMISSION: 'the teacher may see the appeal but is not on its commission, so may not decide it (HTTP 403)',
  APPEAL_STATE:
    "the appeal's state does not allow the step: no commission yet, already decided, or changed meanwhile by another member (HTTP 409)",
  BLIND_NEEDS_PUBLICATION:
    'blind marking hides names until the results are published, so it needs `resultsRelease: ON_PUBLICATION`; grades shown at once would reveal them (HTTP 400)',
  RESULTS_NOT_PUBLISHED:
    "a retake is made from the exam's published grades: publish the results first (an AT_ONCE exam: wait for its end) (HTTP 409)",
  NO_FX_STUDENTS: 'no student of the exam has a published FX grade (25–49), so there is no one to retake it (HTTP 409)',
  RETAKE_EXISTS: 'every FX student of the exam is already enrolled in a retake of it (HTTP 409)',
  RETAKE_OF_RETAKE:
    'the exam is itself a retake; an FX there means re-taking the course, not another retake (HTTP 409)',
  EXTERNAL_ID_CLASH:
    'the external id belongs to another record (another login, code, year or period), or the record already has another one; `extensions.externalId` and `extensions.login` name them, and nothing of the request was written (HTTP 409)',
  IMPORT_FILE_INVALID:
    'the schedule cannot be read as one: `extensions.reason` is NOT_A_SCHEDULE, TOO_LARGE or UNPACKS_TOO_LARGE (HTTP 413), TOO_MANY_ROWS, MISSING_COLUMNS, EMPTY or UNREADABLE, `extensions.params` fills it (HTTP 400)',
  SCHEDULE_HAS_PROBLEMS:
    'the schedule was not imported because rows have problems; `extensions.problems` lists them as a dry run does (HTTP 422)',
  BAD_CURSOR:
    "a connection's `after` is not a cursor it handed out (garbled, forged, or another list's): read the first page again without `after` (HTTP 400)",
};

/** Codes a request can fail with before or outside a resolver (graphql-js, the HTTP layer, an unexpected fault). */
export const REQUEST_ERROR_MEANINGS = {
  GRAPHQL_PARSE_FAILED: 'the document is not valid GraphQL syntax',
  GRAPHQL_VALIDATION_FAILED: 'the document does not fit the schema (unknown field, wrong argument type, …)',
  BAD_REQUEST: 'the HTTP request itself is malformed (method, content type, JSON body)',
  REQUEST_TOO_LARGE: 'the HTTP body is over the size limit',
  INTERNAL_SERVER_ERROR: 'an unexpected fault; it is logged on the server and the client gets a generic message',
} as const;

/** Codes any operation may return, so they are not repeated on every field. */
const ANY_OPERATION: ErrorCode[] = ['TOO_MANY_REQUESTS', 'QUERY_TOO_COMPLEX'];

/** The schema's description: every error code, in one block generated from the tables above. */
export function errorCodesDescription(): string {
  const line = ([code, meaning]: [string, string]) => `- \`${code}\`: ${meaning}`;
  return [
    'Attestation: the online exam module of a university information system.',
    '',
    'Every refusal is a GraphQL error whose `extensions.code` is one of the codes below; the message is a sentence',
    "for a person (in English) and may change, the code will not. Each mutation's description lists the codes it",
    `returns; any operation may also return ${ANY_OPERATION.map((c) => `\`${c}\``).join(' and ')}.`,
    '',
    'Refusal codes:',
    ...Object.entries(ERROR_CODE_MEANINGS).map(line),
    '',
    'Request codes (the whole request failed):',
    ...Object.entries(REQUEST_ERROR_MEANINGS).map(line),
  ].join('\n');
}

/** A field's description followed by the codes it may refuse with, e.g. `withErrorCodes('Adds a ticket.', 'NOT_FOUND')`. */
export function withErrorCodes(description: string, ...codes: ErrorCode[]): string {
  return `${description}\nError codes: ${codes.map((c) => `\`${c}\``).join(', ')}.`;
}

export abstract class AppError extends GraphQLError {
  abstract readonly code: ErrorCode;
  /** the HTTP status used when the refusal travels over the plain file endpoints */
  readonly httpStatus: number = 400;
  constructor(message: string, code: ErrorCode, extensions: Record<string, unknown> = {}) {
    super(message, withoutStackTrace({ extensions: { ...extensions, code } }));
    Error.stackTraceLimit = savedStackTraceLimit;
    // no stack at all, set by assignment: V8 formats an error's captured frames whenever `stack` is redefined
    // (Object.defineProperty), and graphql-js redefines the `stack` of the error it wraps a refusal in as a copy of a
    // truthy `originalError.stack` — ten frames formatted per refusal; without one it only captures them, unformatted
    this.stack = undefined;
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

/**
 * A refusal thrown by a root field, located there as graphql-js's `locatedError` would locate it (the field's nodes
 * and path, the refusal as `originalError` and its extensions), but without a stack trace: graphql-js's own wrapper
 * captures the stack twice, ten frames each, and a ticket race refuses thousands a second (schema.ts puts this on
 * every Query and Mutation field). graphql-js passes an error that already has a path on as it is.
 *
 * A refusal not located yet is located in place — its path, nodes and locations set, itself as its `originalError` —
 * so a refusal is one GraphQLError, not two. One located already (the same refusal thrown by a second root field, as
 * an API client's rate limit is) gets a wrapper of its own with this field's path.
 */
export function locatedRefusal(
  refusal: AppError,
  nodes: readonly ASTNode[],
  path: ReadonlyArray<string | number>,
): GraphQLError {
  if (refusal.path === undefined && refusal.originalError === undefined && refusal.nodes === undefined) {
    const located = refusal as Writable<GraphQLError>;
    // what GraphQLError's constructor derives from `nodes` (their locations in the document's source)
    const locations = nodes.map((node) => node.loc).filter((loc) => loc !== undefined);
    located.path = path;
    located.originalError = refusal;
    if (nodes.length) located.nodes = nodes;
    if (locations.length) {
      located.source = locations[0].source;
      located.positions = locations.map((loc) => loc.start);
      located.locations = locations.map((loc) => getLocation(loc.source, loc.start));
    }
    return refusal;
  }
  const locatedHere = refusal.originalError === refusal; // in place, at another field: its nodes are that field's
  try {
    return new GraphQLError(
      refusal.message,
      withoutStackTrace({
        nodes: locatedHere ? nodes : (refusal.nodes ?? nodes),
        source: locatedHere ? undefined : refusal.source,
        positions: locatedHere ? undefined : refusal.positions,
        path,
        originalError: refusal,
      }),
    );
  } finally {
    Error.stackTraceLimit = savedStackTraceLimit;
  }
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

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
export class GradePublishedError extends define('GRADE_PUBLISHED', 409) {}
export class GradeNotPublishedError extends define('GRADE_NOT_PUBLISHED', 409) {}
export class ExamNotEndedError extends define('EXAM_NOT_ENDED', 409) {}
export class ResultsAlreadyPublishedError extends define('RESULTS_ALREADY_PUBLISHED', 409) {}

/** issue 12: publication waits for the teacher; `extensions.ungraded` is the number of sent answers without a grade */
export class UngradedAnswersError extends AppError {
  readonly code = 'UNGRADED_ANSWERS';
  readonly httpStatus = 409;
  constructor(
    message: string,
    readonly ungraded: number,
  ) {
    super(message, 'UNGRADED_ANSWERS', { ungraded });
  }
}

export class AppealExistsError extends define('APPEAL_EXISTS', 409) {}
export class NotOnCommissionError extends define('NOT_ON_COMMISSION', 403) {}
export class AppealStateError extends define('APPEAL_STATE', 409) {}
export class BlindNeedsPublicationError extends define('BLIND_NEEDS_PUBLICATION', 400) {}
export class BadCursorError extends define('BAD_CURSOR', 400) {}

/** The appeal window is over: `extensions.deadline` (ISO) is the moment it closed, on the server's clock. */
export class AppealWindowClosedError extends AppError {
  readonly code = 'APPEAL_WINDOW_CLOSED';
  readonly httpStatus = 409;
  constructor(
    message: string,
    readonly deadline: Date,
  ) {
    super(message, 'APPEAL_WINDOW_CLOSED', { deadline: deadline.toISOString() });
  }
}
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

/** An API client used a field that is for people signed in (issue 13): FORBIDDEN whatever its scopes. */
export class ApiClientRefusedError extends define('FORBIDDEN', 403) {}

/** An API client lacks the scope a field needs: FORBIDDEN, `extensions.missingScope` names it (e.g. `grades:read`). */
export class MissingScopeError extends AppError {
  readonly code = 'FORBIDDEN';
  readonly httpStatus = 403;
  constructor(
    message: string,
    readonly missingScope: string,
  ) {
    super(message, 'FORBIDDEN', { missingScope });
  }
}

/** issue 13: the external id belongs to another person (`extensions.externalId`, `extensions.login`: the one asked for). */
export class ExternalIdClashError extends AppError {
  readonly code = 'EXTERNAL_ID_CLASH';
  readonly httpStatus = 409;
  constructor(message: string, externalId: string, login: string) {
    super(message, 'EXTERNAL_ID_CLASH', { externalId, login });
  }
}

/**
 * issue 13: a schedule file that cannot be read as one; `extensions.reason` says why in a word the web app translates
 * (NOT_A_SCHEDULE, TOO_LARGE, UNPACKS_TOO_LARGE, TOO_MANY_ROWS, MISSING_COLUMNS, EMPTY, UNREADABLE) and `extensions.params` fills it.
 */
export class ImportFileInvalidError extends AppError {
  readonly code = 'IMPORT_FILE_INVALID';
  readonly httpStatus: number;
  constructor(message: string, reason: string, params: Record<string, string | number> = {}, httpStatus = 400) {
    super(message, 'IMPORT_FILE_INVALID', { reason, params });
    this.httpStatus = httpStatus;
  }
}

/** issue 13: a schedule with problems is not imported at all; `extensions.problems` are the dry run's problems. */
export class ScheduleHasProblemsError extends AppError {
  readonly code = 'SCHEDULE_HAS_PROBLEMS';
  readonly httpStatus = 422;
  constructor(message: string, problems: readonly unknown[]) {
    super(message, 'SCHEDULE_HAS_PROBLEMS', { problems });
  }
}
