import { extraTimeEnd } from './extra-time-dialog';

describe('extra time minutes', () => {
  const examEndsAt = '2026-06-01T11:00:00.000Z';

  it("is the exam's end plus the minutes typed", () => {
    expect(extraTimeEnd(examEndsAt, '15')).toBe('2026-06-01T11:15:00.000Z');
  });

  it("takes more than a day, as the server does (its rule: any end after the exam's end)", () => {
    expect(extraTimeEnd(examEndsAt, String(2 * 24 * 60))).toBe('2026-06-03T11:00:00.000Z');
  });

  it('refuses what the server would refuse or cannot be a time', () => {
    for (const typed of ['0', '-5', '1.5', '', 'abc', '1e20'])
      expect(extraTimeEnd(examEndsAt, typed)).withContext(typed).toBeNull();
  });
});
