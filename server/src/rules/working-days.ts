/**
 * Working days on the university's calendar: Saturday and Sunday are never working days, and the dates in the
 * calendar's table of non-working days (public holidays, days off moved from a holiday that fell on a weekend) are
 * not either. Dates are the university's local dates, `YYYY-MM-DD`, in its time zone (TIME_ZONE).
 */

/** A local date `YYYY-MM-DD`. */
export type LocalDate = string;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

type WallClock = Partial<Record<Intl.DateTimeFormatPartTypes, number>>;

/** The wall clock of `timeZone` at `at`, field by field. */
function wallClock(at: Date, timeZone: string): WallClock {
  const clock: WallClock = {};
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  for (const part of format.formatToParts(at)) if (part.type !== 'literal') clock[part.type] = Number(part.value);
  return clock;
}

/** The local date of an instant in `timeZone`. */
export function localDateOf(at: Date, timeZone: string): LocalDate {
  const { year = 0, month = 1, day = 1 } = wallClock(at, timeZone);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** `date` plus `days` calendar days. */
export function addDays(date: LocalDate, days: number): LocalDate {
  const [y, m, d] = date.split('-').map(Number);
  const next = new Date(Date.UTC(y, m - 1, d + days));
  return `${pad(next.getUTCFullYear(), 4)}-${pad(next.getUTCMonth() + 1)}-${pad(next.getUTCDate())}`;
}

/** Saturday or Sunday. */
export function isWeekend(date: LocalDate): boolean {
  const [y, m, d] = date.split('-').map(Number);
  const day = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return day === 0 || day === 6;
}

/** How far `timeZone`'s wall clock is ahead of UTC at `at`, in milliseconds. */
function offsetMs(at: number, timeZone: string): number {
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = wallClock(new Date(at), timeZone);
  return Date.UTC(year, month - 1, day, hour, minute, second) - Math.floor(at / 1000) * 1000;
}

/** The instant local midnight begins `date` in `timeZone`. */
export function startOfLocalDay(date: LocalDate, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d);
  let at = wall - offsetMs(wall, timeZone);
  at = wall - offsetMs(at, timeZone); // once more, in case the offset changes between the two guesses (DST)
  return new Date(at);
}

/** The instant the clocks of `timeZone` show `time` (HH:MM) on `date` (a schedule's start or end). */
export function localInstant(date: LocalDate, time: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  const [hour, minute] = time.split(':').map(Number);
  const wall = Date.UTC(y, m - 1, d, hour, minute);
  let at = wall - offsetMs(wall, timeZone);
  at = wall - offsetMs(at, timeZone); // once more, in case the offset changes between the two guesses (DST)
  return new Date(at);
}

/** The last millisecond of `date` in `timeZone` (23:59:59.999 on the university's clocks). */
export function endOfLocalDay(date: LocalDate, timeZone: string): Date {
  return new Date(startOfLocalDay(addDays(date, 1), timeZone).getTime() - 1);
}

/** The `count`-th working day after `date` (the day itself does not count); `isNonWorking` answers for the table's dates. */
export function nthWorkingDayAfter(
  date: LocalDate,
  count: number,
  isNonWorking: (date: LocalDate) => boolean,
): LocalDate {
  let day = date;
  for (let found = 0; found < count;) {
    day = addDays(day, 1);
    if (!isWeekend(day) && !isNonWorking(day)) found++;
  }
  return day;
}

/**
 * The appeal window's end: the end of the `workingDays`-th working day after the day the grade was published, on the
 * university's clocks (a grade published on Friday evening may be appealed until Monday 23:59:59.999; one published
 * at 00:30 on a Tuesday, until Wednesday's end).
 */
export function appealDeadline(
  publishedAt: Date,
  workingDays: number,
  timeZone: string,
  isNonWorking: (date: LocalDate) => boolean,
): Date {
  const last = nthWorkingDayAfter(localDateOf(publishedAt, timeZone), workingDays, isNonWorking);
  return endOfLocalDay(last, timeZone);
}

/** Whether an appeal filed at `now` is inside the window ending at `deadline` (the deadline itself still counts). */
export const appealWindowOpen = (deadline: Date | string | number, now: Date | number): boolean =>
  new Date(now).getTime() <= new Date(deadline).getTime();
