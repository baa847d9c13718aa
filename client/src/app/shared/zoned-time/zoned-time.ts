/**
 * Wall-clock date and time in the university's zone ↔ instants. Staff type "29.11.2026, 10:00" meaning
 * Almaty time whatever their device's zone is; the API speaks UTC instants.
 */
export interface WallTime {
  /** YYYY-MM-DD */
  readonly date: string;
  /** HH:mm, 24-hour */
  readonly time: string;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function fields(at: number, timeZone: string): Record<string, string> {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(timeZone, format);
  }
  return Object.fromEntries(format.formatToParts(new Date(at)).map((p) => [p.type, p.value]));
}

/** How far the zone's wall clock is ahead of UTC at that instant, in ms. */
function offsetAt(at: number, timeZone: string): number {
  const f = fields(at, timeZone);
  const wallAsUtc = Date.UTC(+f['year'], +f['month'] - 1, +f['day'], +f['hour'], +f['minute'], +f['second']);
  return wallAsUtc - Math.floor(at / 1000) * 1000;
}

/** The date and time an instant shows on the zone's clocks. */
export function wallTime(at: string | number, timeZone: string): WallTime {
  const f = fields(typeof at === 'string' ? Date.parse(at) : at, timeZone);
  return { date: `${f['year']}-${f['month']}-${f['day']}`, time: `${f['hour']}:${f['minute']}` };
}

/** The instant (ms) at which the zone's clocks show that date and time; NaN for a malformed one. */
export function instantAt(date: string, time: string, timeZone: string): number {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return NaN;
  const wallAsUtc = Date.UTC(+d[1], +d[2] - 1, +d[3], +t[1], +t[2]);
  // the offset at the guess, then again at the result: right on both sides of a daylight-saving change
  const first = wallAsUtc - offsetAt(wallAsUtc, timeZone);
  return wallAsUtc - offsetAt(first, timeZone);
}

/** The next calendar day, YYYY-MM-DD. */
export function nextDay(date: string): string {
  const at = Date.parse(`${date}T00:00:00Z`) + 86_400_000;
  return new Date(at).toISOString().slice(0, 10);
}

const clockFormats = new Map<string, Intl.DateTimeFormat>();

/** 15:24:05 on the zone's clock: the 24-hour form reads the same in Kazakh, Russian and English. */
export function clockTime(at: string | number, timeZone: string): string {
  let format = clockFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    clockFormats.set(timeZone, format);
  }
  return format.format(new Date(at));
}

/** A typed time of day as HH:mm ("9:30", "09.30" and "0930" included), or null when it is not one. */
export function normalTime(typed: string): string | null {
  const m = /^\s*(\d{1,2})[:.]?(\d{2})\s*$/.exec(typed);
  if (!m || +m[1] > 23 || +m[2] > 59) return null;
  return `${m[1].padStart(2, '0')}:${m[2]}`;
}
