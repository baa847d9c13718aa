import { hasEnded } from '../../rules';
import type { Exam } from '../exams/exam.entity';
import type { Sitting } from '../sittings/sitting.entity';

/**
 * What a retake asks of publication (issue 12), in one place: whether a sitting's final grade has been published
 * to the student, and whether the exam's results are out.
 */
export const finalGradePublished = (sitting: Pick<Sitting, 'score'>): boolean => sitting.score != null;

export const resultsOut = (exam: Pick<Exam, 'endsAt'>, now: Date): boolean => hasEnded(exam, null, now);
