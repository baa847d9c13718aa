/**
 * The exam's clock rules: when it runs, and when it ends for one student. Plain functions of instants, shared by
 * the server (Date) and the web app (ISO strings, milliseconds); no framework, no I/O.
 */

/** A moment as either side holds it: a Date on the server, an ISO string or epoch milliseconds in the web app. */
export type Instant = Date | string | number;

export const epochMs = (at: Instant): number =>
  typeof at === 'number' ? at : typeof at === 'string' ? Date.parse(at) : at.getTime();

/** Before the start, between start and end, or after the end (the end is reached at its very instant). */
export type ExamPhase = 'upcoming' | 'running' | 'ended';

export interface ExamTimes<T extends Instant = Instant> {
  readonly startsAt: T;
  readonly endsAt: T;
}

/** The extra time staff gave one student: a later end than the exam's, or none. */
export type ExtraTime<T extends Instant = Instant> = { readonly endsAtOverride?: T | null } | null | undefined;

/** The end that counts for one student: the exam's, or later when staff gave extra time. */
export function endFor<T extends Instant>(exam: { readonly endsAt: T }, sitting?: ExtraTime<T>): T {
  const extra = sitting?.endsAtOverride;
  return extra != null && epochMs(extra) > epochMs(exam.endsAt) ? extra : exam.endsAt;
}

/** Whether a student's own end (as `endFor` gave it) is later than the exam's: staff gave extra time. */
export const hasExtraTime = (exam: { readonly endsAt: Instant }, studentEndsAt: Instant): boolean =>
  epochMs(studentEndsAt) > epochMs(exam.endsAt);

export const hasStarted = (exam: { readonly startsAt: Instant }, now: Instant): boolean =>
  epochMs(now) >= epochMs(exam.startsAt);

/** `times.endsAt` is the end that counts: the exam's for staff, the student's own (`endFor`) for a student. */
export function examPhase(times: ExamTimes, now: Instant): ExamPhase {
  if (!hasStarted(times, now)) return 'upcoming';
  return epochMs(now) < epochMs(times.endsAt) ? 'running' : 'ended';
}

/** The student's own end has come (extra time included): nothing can change any more. */
export const hasEnded = (exam: { readonly endsAt: Instant }, sitting: ExtraTime, now: Instant): boolean =>
  epochMs(now) >= epochMs(endFor(exam, sitting));

/**
 * A Send pressed just before the end may arrive just after it: within `graceMs` after the student's own end it is
 * still taken (and marked). Saves get no grace.
 */
export const withinSendGrace = (
  exam: { readonly endsAt: Instant },
  sitting: ExtraTime,
  now: Instant,
  graceMs: number,
) => hasEnded(exam, sitting, now) && epochMs(now) < epochMs(endFor(exam, sitting)) + graceMs;

/** When the server sends a draft for the student: once their end and the grace for a late Send have both passed. */
export const autoSendDue = (exam: { readonly endsAt: Instant }, sitting: ExtraTime, now: Instant, graceMs: number) =>
  epochMs(now) >= epochMs(endFor(exam, sitting)) + graceMs;
