import {
  answerLength,
  blindMarkingFits,
  endFor,
  epochMs,
  examPhase,
  examTimesProblem,
  extraTimeValid,
  hasEnded,
  hasExtraTime,
  hasStarted,
  isSubstantialAnswer,
  MAX_EXAM_MS,
  MIN_ANSWER_CHARS,
} from '.';

const T0 = Date.parse('2026-06-01T09:00:00Z');
const MIN = 60_000;
const exam = { startsAt: new Date(T0), endsAt: new Date(T0 + 120 * MIN) };

describe('the shared rules', () => {
  describe('instants', () => {
    it('read a Date, an ISO string and milliseconds alike', () => {
      expect(epochMs(new Date(T0))).toBe(T0);
      expect(epochMs(new Date(T0).toISOString())).toBe(T0);
      expect(epochMs(T0)).toBe(T0);
    });
  });

  describe('the exam phase', () => {
    it('is upcoming before the start, running from the start, ended at the end itself', () => {
      expect(examPhase(exam, T0 - 1)).toBe('upcoming');
      expect(examPhase(exam, T0)).toBe('running');
      expect(examPhase(exam, T0 + 120 * MIN - 1)).toBe('running');
      expect(examPhase(exam, T0 + 120 * MIN)).toBe('ended');
    });

    it("takes the web app's ISO strings and the server's Dates the same way", () => {
      const iso = { startsAt: exam.startsAt.toISOString(), endsAt: exam.endsAt.toISOString() };
      for (const now of [T0 - 1, T0, T0 + 120 * MIN]) expect(examPhase(iso, now)).toBe(examPhase(exam, new Date(now)));
    });

    it('hasStarted agrees with the phase', () => {
      expect(hasStarted(exam, new Date(T0 - 1))).toBeFalse();
      expect(hasStarted(exam, new Date(T0))).toBeTrue();
    });
  });

  describe('extra time', () => {
    it("endFor is the exam's end without extra time, the student's later end with it", () => {
      expect(endFor(exam)).toBe(exam.endsAt);
      expect(endFor(exam, null)).toBe(exam.endsAt);
      expect(endFor(exam, { endsAtOverride: null })).toBe(exam.endsAt);
      const later = new Date(T0 + 150 * MIN);
      expect(endFor(exam, { endsAtOverride: later })).toBe(later);
    });

    it("endFor ignores an override that is not later than the exam's end", () => {
      expect(endFor(exam, { endsAtOverride: new Date(T0 + 60 * MIN) })).toBe(exam.endsAt);
      expect(endFor(exam, { endsAtOverride: new Date(exam.endsAt) })).toBe(exam.endsAt);
    });

    it("hasEnded counts the student's own end", () => {
      const sitting = { endsAtOverride: new Date(T0 + 150 * MIN) };
      expect(hasEnded(exam, null, new Date(T0 + 120 * MIN))).toBeTrue();
      expect(hasEnded(exam, sitting, new Date(T0 + 120 * MIN))).toBeFalse();
      expect(hasEnded(exam, sitting, new Date(T0 + 150 * MIN))).toBeTrue();
    });

    it("hasExtraTime: the student's end is later than the exam's", () => {
      const iso = { endsAt: exam.endsAt.toISOString() };
      expect(hasExtraTime(iso, exam.endsAt.toISOString())).toBeFalse();
      expect(hasExtraTime(iso, new Date(T0 + 121 * MIN).toISOString())).toBeTrue();
    });

    it("is valid when it ends after the exam's end, however long; null takes it back", () => {
      expect(extraTimeValid(exam.endsAt, null)).toBeTrue();
      expect(extraTimeValid(exam.endsAt, new Date(T0 + 120 * MIN))).toBeFalse();
      expect(extraTimeValid(exam.endsAt, new Date(T0 + 120 * MIN + 1))).toBeTrue();
      expect(extraTimeValid(exam.endsAt, new Date(T0 + 120 * MIN + 3 * 24 * 60 * MIN))).toBeTrue();
    });
  });

  describe("the exam's length", () => {
    it('must be positive and at most a week', () => {
      expect(examTimesProblem(T0, T0)).toBe('END_NOT_AFTER_START');
      expect(examTimesProblem(T0, T0 - MIN)).toBe('END_NOT_AFTER_START');
      expect(examTimesProblem(T0, NaN)).toBe('END_NOT_AFTER_START');
      expect(examTimesProblem(T0, T0 + MIN)).toBeNull();
      expect(examTimesProblem(T0, T0 + MAX_EXAM_MS)).toBeNull();
      expect(examTimesProblem(T0, T0 + MAX_EXAM_MS + 1)).toBe('TOO_LONG');
    });
  });

  describe('the answer minimum (R7.4, R7.5)', () => {
    it('counts characters without the surrounding spaces, as code points', () => {
      expect(answerLength('  abc  ')).toBe(3);
      expect(answerLength('😀😀')).toBe(2);
      expect(answerLength(' a😀b😀 ')).toBe(4);
      // a lone surrogate (a broken paste) is one character, as the spread operator counts it
      expect(answerLength('a\ud83d')).toBe([...'a\ud83d'].length);
      expect(answerLength('\ude00\ud83d')).toBe([...'\ude00\ud83d'].length);
      expect(answerLength('x'.repeat(100_000) + '😀')).toBe(100_001);
    });

    it('needs MIN_ANSWER_CHARS characters or a file', () => {
      const enough = 'x'.repeat(MIN_ANSWER_CHARS);
      expect(isSubstantialAnswer(enough, 0)).toBeTrue();
      expect(isSubstantialAnswer(enough.slice(1), 0)).toBeFalse();
      expect(isSubstantialAnswer(`   ${enough.slice(1)}   `, 0)).toBeFalse();
      expect(isSubstantialAnswer('', 1)).toBeTrue();
      expect(isSubstantialAnswer('😀😀😀😀😀', 0)).toBeFalse();
      expect(isSubstantialAnswer('қазақ тілі', 0)).toBeTrue();
    });
  });

  describe('blind marking needs publication (issue 12)', () => {
    it('allows blind marking only when results are released on publication', () => {
      expect(blindMarkingFits({ blindMarking: true, resultsRelease: 'ON_PUBLICATION' })).toBeTrue();
      expect(blindMarkingFits({ blindMarking: true, resultsRelease: 'AT_ONCE' })).toBeFalse();
      expect(blindMarkingFits({ blindMarking: false, resultsRelease: 'AT_ONCE' })).toBeTrue();
      expect(blindMarkingFits({ blindMarking: false, resultsRelease: 'ON_PUBLICATION' })).toBeTrue();
    });
  });
});
