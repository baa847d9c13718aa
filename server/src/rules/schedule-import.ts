/**
 * issue 13: a schedule import's columns and the problems a row can have, shared by the server (which finds them) and
 * the web app (which names them in the reader's language from the code and its params).
 */

/** The columns of a schedule file, as its header names them (in any order; case and spaces do not matter). */
export const SCHEDULE_COLUMNS = [
  'discipline',
  'teacher',
  'period',
  'date',
  'start',
  'end',
  'format',
  'ticketMode',
  'students',
  'externalId',
] as const;
export type ScheduleColumn = (typeof SCHEDULE_COLUMNS)[number];

/** Columns a file must have (the others may be left out or empty). */
export const REQUIRED_SCHEDULE_COLUMNS: readonly ScheduleColumn[] = [
  'discipline',
  'teacher',
  'period',
  'date',
  'start',
  'end',
  'format',
];

/** Students in one cell: separated by `;`, `,`, or white space (a line break in a spreadsheet cell too). */
export const splitStudents = (cell: string | null | undefined): string[] =>
  (cell ?? '').split(/[;,\s]+/).filter((s) => s.length > 0);

/** What can be wrong with a row; `params` of each are named in the README ("Importing a schedule"). */
export const SCHEDULE_PROBLEM_CODES = [
  'REQUIRED',
  'CELL_TOO_LONG',
  'BAD_DATE',
  'BAD_TIME',
  'BAD_FORMAT',
  'BAD_TICKET_MODE',
  'TICKET_MODE_FOR_TASK',
  'UNKNOWN_DISCIPLINE',
  'UNKNOWN_PERIOD',
  'UNKNOWN_TEACHER',
  'NOT_A_TEACHER',
  'UNKNOWN_STUDENT',
  'NOT_A_STUDENT',
  'END_NOT_AFTER_START',
  'OUTSIDE_PERIOD',
  'DUPLICATE_ROW',
  'REFUSED',
] as const;
export type ScheduleProblemCode = (typeof SCHEDULE_PROBLEM_CODES)[number];

/** An exam is held within its period's dates (the first to the last day, on the university's clocks). */
export const examDayInPeriod = (day: string, period: { readonly startsOn: string; readonly endsOn: string }): boolean =>
  day >= period.startsOn && day <= period.endsOn;
