import { DateTimeScalar } from './scalars';

describe('the DateTime scalar', () => {
  it('serializes every instant as its own ISO string, however many (its memo of recent instants is never stale)', () => {
    const base = Date.UTC(2026, 0, 15, 4);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 3_000; i++) {
        const instant = new Date(base + i * 61_001);
        expect(DateTimeScalar.serialize(instant)).toBe(instant.toISOString());
        // the same instant as another object, and as a string, gives the same text
        expect(DateTimeScalar.serialize(new Date(instant.getTime()))).toBe(instant.toISOString());
      }
    }
    expect(DateTimeScalar.serialize('2026-01-15T04:00:00.000Z')).toBe('2026-01-15T04:00:00.000Z');
  });

  it('refuses an invalid date, every time', () => {
    expect(() => DateTimeScalar.serialize(new Date(NaN))).toThrowError(RangeError);
    expect(() => DateTimeScalar.serialize(new Date(NaN))).toThrowError(RangeError);
  });
});
