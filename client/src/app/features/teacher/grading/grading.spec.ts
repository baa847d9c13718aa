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
