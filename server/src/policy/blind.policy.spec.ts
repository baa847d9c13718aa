import { blindMarkingMayChange, isBlindNow } from '../modules/blind/blind-rules';
import { hidesStudents, seesBlindCode } from './blind.policy';
import { otherTeacher, ownTeacher, staff, student } from '../testing/policy-cast';

describe('blind policy', () => {
  const blind = { blindMarking: true, resultsPublishedAt: null };
  const open = { blindMarking: false };
  const published = { blindMarking: true, resultsPublishedAt: new Date('2026-06-02T10:00:00Z') };

  describe('hidesStudents: a teacher, while the exam is blind', () => {
    const table = [
      ["the exam's teacher, blind exam", ownTeacher, blind, true],
      ['another teacher, blind exam', otherTeacher, blind, true],
      ["the exam's teacher, not blind", ownTeacher, open, false],
      ["the exam's teacher, blind exam whose results are published", ownTeacher, published, false],
      ['staff, blind exam', staff, blind, false],
      ['a student, blind exam (their own sitting)', student, blind, false],
      ['no one signed in', null, blind, false],
    ] as const;
    for (const [who, user, exam, expected] of table) {
      it(`${who}: ${expected}`, () => expect(hidesStudents(user, exam)).toBe(expected));
    }
  });

  describe('seesBlindCode: staff and teachers, when the exam is marked blind', () => {
    const table = [
      ['staff, blind exam', staff, blind, true],
      ["the exam's teacher, blind exam", ownTeacher, blind, true],
      ['staff, not blind', staff, open, false],
      ["the exam's teacher, results published (the code still matches the names)", ownTeacher, published, true],
      ['a student, blind exam', student, blind, false],
    ] as const;
    for (const [who, user, exam, expected] of table) {
      it(`${who}: ${expected}`, () => expect(seesBlindCode(user, exam)).toBe(expected));
    }
  });

  it('isBlindNow: blind marking on and the results not published; it may change only before they are', () => {
    expect(isBlindNow(blind)).toBeTrue();
    expect(isBlindNow(open)).toBeFalse();
    expect(isBlindNow(published)).toBeFalse();
    expect(blindMarkingMayChange(blind)).toBeTrue();
    expect(blindMarkingMayChange(open)).toBeTrue();
    expect(blindMarkingMayChange(published)).toBeFalse();
  });
});
