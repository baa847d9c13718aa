import { clockTime, instantAt, nextDay, normalTime, wallTime } from './zoned-time';

describe("wall-clock times in the university's zone", () => {
  it("reads an instant on Almaty's clocks, whatever the device's zone", () => {
    expect(wallTime('2026-11-29T06:00:00.000Z', 'Asia/Almaty')).toEqual({ date: '2026-11-29', time: '11:00' });
    expect(wallTime('2026-11-29T20:30:00.000Z', 'Asia/Almaty')).toEqual({ date: '2026-11-30', time: '01:30' });
  });

  it('turns a date and time typed in the zone into the instant', () => {
    expect(new Date(instantAt('2026-11-29', '11:00', 'Asia/Almaty')).toISOString()).toBe('2026-11-29T06:00:00.000Z');
    expect(new Date(instantAt('2026-11-29', '00:15', 'Asia/Almaty')).toISOString()).toBe('2026-11-28T19:15:00.000Z');
    expect(instantAt('2026-11-29', '9:00', 'Asia/Almaty')).toBeNaN();
    expect(instantAt('', '09:00', 'Asia/Almaty')).toBeNaN();
  });

  it('is right on both sides of a daylight-saving change', () => {
    expect(new Date(instantAt('2026-03-29', '00:30', 'Europe/London')).toISOString()).toBe('2026-03-29T00:30:00.000Z');
    expect(new Date(instantAt('2026-03-29', '03:00', 'Europe/London')).toISOString()).toBe('2026-03-29T02:00:00.000Z');
    const at = instantAt('2026-07-01', '14:45', 'Europe/London');
    expect(wallTime(at, 'Europe/London')).toEqual({ date: '2026-07-01', time: '14:45' });
  });

  it('steps to the next day across months and years', () => {
    expect(nextDay('2026-11-30')).toBe('2026-12-01');
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
  });

  it("shows a time of day with seconds on the zone's clock", () => {
    expect(clockTime('2026-11-29T06:02:09.000Z', 'Asia/Almaty')).toBe('11:02:09');
  });

  it('reads a typed time of day in the 24-hour form', () => {
    expect(normalTime('09:30')).toBe('09:30');
    expect(normalTime(' 9:30 ')).toBe('09:30');
    expect(normalTime('9.30')).toBe('09:30');
    expect(normalTime('2359')).toBe('23:59');
    expect(normalTime('930')).toBe('09:30');
    for (const typed of ['24:00', '12:60', '12345', '', 'ten', '9:3'])
      expect(normalTime(typed)).withContext(typed).toBeNull();
  });
});
