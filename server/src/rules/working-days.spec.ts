import { addDays, appealDeadline, appealWindowOpen, endOfLocalDay, isWeekend, localDateOf, startOfLocalDay } from '.';

/** The appeal window: the end of the next working day after publication, on the university's clocks (Asia/Almaty, UTC+5). */
describe('working days and the appeal deadline', () => {
  const TZ = 'Asia/Almaty';
  // a few rows of the table as the migration seeds it
  const table = new Set([
    '2026-03-21', // Nauryz (Saturday)
    '2026-03-22', // Nauryz (Sunday)
    '2026-03-23', // Nauryz (Monday)
    '2026-03-24', // Nauryz moved from the Saturday
    '2026-03-25', // Nauryz moved from the Sunday
    '2026-05-09', // Victory Day (Saturday)
    '2026-05-11', // moved to Monday
    '2026-12-16', // Independence Day (Wednesday)
  ]);
  const holiday = (d: string) => table.has(d);
  const deadline = (published: string, days = 1) => appealDeadline(new Date(published), days, TZ, holiday);

  it('reads local dates and the weekend in the university zone', () => {
    expect(localDateOf(new Date('2026-12-01T18:59:59Z'), TZ)).toBe('2026-12-01');
    expect(localDateOf(new Date('2026-12-01T19:00:00Z'), TZ)).toBe('2026-12-02'); // midnight in Almaty
    expect(isWeekend('2026-12-05')).toBeTrue(); // Saturday
    expect(isWeekend('2026-12-06')).toBeTrue(); // Sunday
    expect(isWeekend('2026-12-07')).toBeFalse();
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(startOfLocalDay('2026-12-02', TZ).toISOString()).toBe('2026-12-01T19:00:00.000Z');
    expect(endOfLocalDay('2026-12-02', TZ).toISOString()).toBe('2026-12-02T18:59:59.999Z');
  });

  it('on an ordinary Tuesday: until the end of Wednesday', () => {
    expect(deadline('2026-12-01T06:00:00Z').toISOString()).toBe('2026-12-02T18:59:59.999Z');
  });

  it('on a Friday: over the weekend, until the end of Monday', () => {
    expect(deadline('2026-12-04T10:00:00Z').toISOString()).toBe('2026-12-07T18:59:59.999Z');
  });

  it('on a Saturday: the next working day is Monday', () => {
    expect(deadline('2026-12-05T10:00:00Z').toISOString()).toBe('2026-12-07T18:59:59.999Z');
  });

  it('before a holiday: the holiday does not count (Tuesday 15 December → Thursday 17th)', () => {
    expect(deadline('2026-12-15T05:00:00Z').toISOString()).toBe('2026-12-17T18:59:59.999Z');
  });

  it('before Nauryz and its moved days off: Friday 20 March 2026 → Thursday 26 March', () => {
    expect(deadline('2026-03-20T05:00:00Z').toISOString()).toBe('2026-03-26T18:59:59.999Z');
  });

  it('before a holiday moved from a Saturday to Monday: Friday 8 May 2026 → Tuesday 12 May', () => {
    expect(deadline('2026-05-08T05:00:00Z').toISOString()).toBe('2026-05-12T18:59:59.999Z');
  });

  it("late at night: 23:30 in Almaty is that day's publication although UTC still says the day before", () => {
    // 18:30 UTC on Thursday 3 December is 23:30 on Thursday in Almaty → Friday's end
    expect(deadline('2026-12-03T18:30:00Z').toISOString()).toBe('2026-12-04T18:59:59.999Z');
    // 19:30 UTC on Thursday is 00:30 on Friday in Almaty → Monday's end
    expect(deadline('2026-12-03T19:30:00Z').toISOString()).toBe('2026-12-07T18:59:59.999Z');
  });

  it('counts APPEAL_WORKING_DAYS working days', () => {
    expect(deadline('2026-12-01T06:00:00Z', 3).toISOString()).toBe('2026-12-04T18:59:59.999Z');
    expect(deadline('2026-12-03T06:00:00Z', 3).toISOString()).toBe('2026-12-08T18:59:59.999Z');
  });

  it('keeps the window open up to and including the deadline itself', () => {
    const end = deadline('2026-12-01T06:00:00Z');
    expect(appealWindowOpen(end, end)).toBeTrue();
    expect(appealWindowOpen(end, end.getTime() + 1)).toBeFalse();
  });

  it('follows another zone when TIME_ZONE names one', () => {
    const end = appealDeadline(new Date('2026-12-01T06:00:00Z'), 1, 'Europe/Moscow', holiday);
    expect(end.toISOString()).toBe('2026-12-02T20:59:59.999Z');
  });
});
