import { epochMs, type Instant } from './exam-time';

/**
 * The limits of what staff and students may enter. The fixed ones are checked here, by the server before it
 * stores anything and by the web app's forms alike; the operational ones are only defaults: the server reads its
 * settings (config.ts) and refuses beyond them.
 */

const HOUR = 3_600_000;

/** An exam lasts at most a week (a longer one is a typing mistake in the dates). */
export const MAX_EXAM_MS = 7 * 24 * HOUR;

/** The longest task text of a task exam; more goes into a file. */
export const MAX_TASK_CHARS = 100_000;

/** Defaults of the server's settings MAX_FILE_MB, MAX_FILES_PER_ANSWER, MAX_ANSWER_MB, MAX_ANSWER_CHARS. */
export const LIMIT_DEFAULTS = {
  maxFileMb: 20,
  maxFilesPerAnswer: 10,
  maxAnswerMb: 50,
  maxAnswerChars: 100_000,
} as const;

/** What is wrong with an exam's start and end, or null when they may be stored. */
export type ExamTimesProblem = 'END_NOT_AFTER_START' | 'TOO_LONG';

export function examTimesProblem(startsAt: Instant, endsAt: Instant): ExamTimesProblem | null {
  const length = epochMs(endsAt) - epochMs(startsAt);
  if (!(length > 0)) return 'END_NOT_AFTER_START';
  return length > MAX_EXAM_MS ? 'TOO_LONG' : null;
}

/**
 * Extra time for one student ends after the exam's own end; there is no upper bound beyond that (staff decide how
 * much a technical failure cost). Null (taking extra time back) is always valid.
 */
export function extraTimeValid(examEndsAt: Instant, endsAt: Instant | null): boolean {
  return endsAt === null || epochMs(endsAt) > epochMs(examEndsAt);
}

/** issue 12: the longest reason for changing a published grade (a correction or an appeal's decision) */
export const MAX_GRADE_REASON_CHARS = 2_000;
