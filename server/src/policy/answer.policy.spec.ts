import { AnswerStatus } from '../modules/answers/answer.entity';
import { canSeeAnswer } from './answer.policy';
import { otherStudent, ownTeacher, staff, student } from '../testing/policy-cast';

describe("answer policy: canSeeAnswer (R7.4) — a draft is its author's alone, a sent answer is seen with the sitting", () => {
  const table = [
    ['the author, draft', student, AnswerStatus.DRAFT, true],
    ['the author, sent', student, AnswerStatus.SUBMITTED, true],
    ['staff, draft', staff, AnswerStatus.DRAFT, false],
    ['staff, sent', staff, AnswerStatus.SUBMITTED, true],
    ["the exam's teacher, draft", ownTeacher, AnswerStatus.DRAFT, false],
    ["the exam's teacher, sent", ownTeacher, AnswerStatus.SUBMITTED, true],
    ['another student, draft', otherStudent, AnswerStatus.DRAFT, false],
    ['no one signed in, draft', null, AnswerStatus.DRAFT, false],
  ] as const;
  for (const [who, user, status, expected] of table) {
    it(`${who}: ${expected}`, () => expect(canSeeAnswer(user, { authorId: student.id, status })).toBe(expected));
  }
});
