import { examPhase } from '@rules';
import type { AnswerStatus } from '../../../core/graphql/generated';

/** An exam's state at a glance in the list. */
export type ExamState = 'upcoming' | 'open' | 'sent' | 'graded' | 'ended';

export interface ExamTimes {
  readonly startsAt: string;
  readonly endsAt: string;
  readonly mySitting: {
    /** the student's own end (extra time included) */
    readonly endsAt: string;
    readonly answerStatus: AnswerStatus | null;
    readonly grade: unknown;
  } | null;
}

export function examState(exam: ExamTimes, now: number): ExamState {
  const sitting = exam.mySitting;
  if (sitting?.grade) return 'graded';
  if (sitting?.answerStatus === 'SUBMITTED') return 'sent';
  const phase = examPhase({ startsAt: exam.startsAt, endsAt: sitting?.endsAt ?? exam.endsAt }, now);
  return phase === 'running' ? 'open' : phase;
}

export interface YearChoice {
  readonly id: string;
  readonly startsOn: string;
  readonly endsOn: string;
  readonly periods: readonly { readonly id: string; readonly startsOn: string; readonly endsOn: string }[];
}

/** The calendar day (YYYY-MM-DD) of an instant in the university's zone. */
export function dayIn(timeZone: string, at: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(at),
  );
}

/** The year holding today, else the latest one (the server lists the latest first). */
export function currentYear<Y extends YearChoice>(years: readonly Y[], today: string): Y | undefined {
  return years.find((y) => y.startsOn <= today && today <= y.endsOn) ?? years[0];
}

/** The period holding today; '' (all periods) between periods. */
export function currentPeriodId(year: YearChoice | undefined, today: string): string {
  return year?.periods.find((p) => p.startsOn <= today && today <= p.endsOn)?.id ?? '';
}
