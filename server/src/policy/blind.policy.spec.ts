import { hidesStudents, seesBlindCode } from './blind.policy';
import { otherTeacher, ownTeacher, staff, student } from '../testing/policy-cast';

describe('blind policy', () => {
  const blind = { blindMarking: true };
  const open = { blindMarking: false };

  describe('hidesStudents: a teacher, while the exam is blind', () => {
    const table = [
      ["the exam's teacher, blind exam", ownTeacher, blind, true],
      ['another teacher, blind exam', otherTeacher, blind, true],
      ["the exam's teacher, not blind", ownTeacher, open, false],
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
      ['a student, blind exam', student, blind, false],
    ] as const;
    for (const [who, user, exam, expected] of table) {
      it(`${who}: ${expected}`, () => expect(seesBlindCode(user, exam)).toBe(expected));
    }
  });
});
