import { canGrade, canSeeEverySitting, canSeeTrail } from './sitting.policy';
import { exam, otherTeacher, ownTeacher, staff, student } from '../testing/policy-cast';

describe("sitting policy: every sitting, the audit trail and grading belong to staff and the exam's teacher", () => {
  const table = [
    ['staff', staff, true],
    ["the exam's teacher", ownTeacher, true],
    ['another teacher', otherTeacher, false],
    ['a student', student, false],
    ['no one signed in', null, false],
  ] as const;
  for (const [who, user, expected] of table) {
    it(`${who}: ${expected}`, () => {
      expect(canSeeEverySitting(user, exam)).toBe(expected);
      expect(canSeeTrail(user, exam)).toBe(expected);
      expect(canGrade(user, exam)).toBe(expected);
    });
  }
});
