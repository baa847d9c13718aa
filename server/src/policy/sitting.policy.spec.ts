import {
  canCorrectGrade,
  canGrade,
  canPublishResults,
  canSeeEverySitting,
  canSeeGrade,
  canSeeTrail,
} from './sitting.policy';
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

describe('sitting policy: grade publication (issue 12)', () => {
  const table = [
    // who, sees a draft, publishes, corrects
    ['staff', staff, true, true, true],
    ["the exam's teacher", ownTeacher, true, true, false],
    ['another teacher', otherTeacher, false, false, false],
    ['a student', student, false, false, false],
    ['no one signed in', null, false, false, false],
  ] as const;
  for (const [who, user, draft, publish, correct] of table) {
    it(`${who}: draft ${draft}, publish ${publish}, correct ${correct}`, () => {
      expect(canSeeGrade(user, exam, false)).toBe(draft);
      expect(canSeeGrade(user, exam, true)).toBeTrue(); // published: whoever sees the sitting
      expect(canPublishResults(user, exam)).toBe(publish);
      expect(canCorrectGrade(user)).toBe(correct);
    });
  }
});
