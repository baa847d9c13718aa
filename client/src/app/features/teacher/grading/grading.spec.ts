import { at } from '../../../../testing/exam-fixtures';
import { gradedSitting } from '../../../../testing/room-fixtures';
import { gradingQueue, nextUngraded } from './grading';

const GRADE = {
  score: 90,
  letter: 'A-',
  gpa: 3.67,
  comment: null,
  gradedAt: at(-1),
  gradedBy: { id: 't', fullName: 'Нұрлан Әбенов' },
};

describe('the grading queue', () => {
  const first = gradedSitting('s1', 'Әлия', { submittedAt: at(-30) });
  const second = gradedSitting('s2', 'Арман', { submittedAt: at(-20), grade: GRADE });
  const third = gradedSitting('s3', 'Дана', { submittedAt: at(-10) });
  const drafting = gradedSitting('s4', 'Ерлан', { answerStatus: 'DRAFT', submittedAt: null, answer: null });

  it('lists sent answers in the order they came, never a draft; the students who sent nothing only after their end', () => {
    expect(gradingQueue([third, drafting, first, second], Date.parse(at(0)))).toEqual({
      sent: [first, second, third],
      unsent: [],
    });
    expect(gradingQueue([third, drafting, first, second], Date.parse(at(121))).unsent).toEqual([drafting]);
  });

  it('goes to the next answer without a grade, round to the start, and stops when all are graded', () => {
    const queue = [first, second, third];
    expect(nextUngraded(queue, null)?.id).toBe('sitting-s1');
    expect(nextUngraded(queue, 'sitting-s1')?.id).toBe('sitting-s3');
    expect(nextUngraded(queue, 'sitting-s3')?.id).toBe('sitting-s1');
    expect(nextUngraded([second], 'sitting-s2')).toBeNull();
    expect(nextUngraded([first], 'sitting-s1')).toBeNull();
  });
});

describe('the grading queue under blind marking', () => {
  const blind = (login: string, code: string, overrides: Parameters<typeof gradedSitting>[2] = {}) =>
    gradedSitting(login, code, { blind: true, blindCode: code, ...overrides });
  // the stand-ins' names are their codes; the order they were sent in would not say who they are, but codes are what
  // the teacher knows them by
  const a = blind('s1', 'ZK7-3Q', { submittedAt: at(-30) });
  const b = blind('s2', 'B4M-9X', { submittedAt: at(-20) });
  const c = blind('s3', 'M2P-7R', { submittedAt: at(-10) });
  const silent = blind('s4', 'C9D-2F', { answerStatus: null, submittedAt: null, answer: null });
  const drafting = blind('s5', 'A3E-5H', { answerStatus: 'DRAFT', submittedAt: null, answer: null });

  it('lists the sent answers and, after the end, the silent ones by code', () => {
    const queue = gradingQueue([a, silent, c, drafting, b], Date.parse(at(121)));
    expect(queue.sent.map((s) => s.blindCode)).toEqual(['B4M-9X', 'M2P-7R', 'ZK7-3Q']);
    expect(queue.unsent.map((s) => s.blindCode)).toEqual(['A3E-5H', 'C9D-2F']);
  });
});
