import { hasEnded } from '../../rules';
import { type Exam, ResultsRelease } from '../exams/exam.entity';
import type { Sitting } from '../sittings/sitting.entity';

/**
 * issue 12: the one question every rule asks of a grade. A sitting's grade is the student's to see (query, journal,
 * push, export), and changes only by a correction or an appeal, once it is published: at the exam's publication
 * (ON_PUBLICATION) or when it was saved (AT_ONCE) — both set `gradePublishedAt`.
 */
export const isGradePublished = (sitting: Pick<Sitting, 'gradePublishedAt' | 'score'>): boolean =>
  sitting.gradePublishedAt != null && sitting.score != null;

/** when the student's grade was published (an appeal window runs from it), or null while it is not */
export const gradePublishedAt = (sitting: Pick<Sitting, 'gradePublishedAt' | 'score'>): Date | null =>
  isGradePublished(sitting) ? sitting.gradePublishedAt! : null;

/** the exam's results were published together (ON_PUBLICATION); an AT_ONCE exam publishes grade by grade instead */
export const resultsPublished = (exam: Pick<Exam, 'resultsPublishedAt'>): boolean => exam.resultsPublishedAt != null;

/**
 * whether the exam's results are out (its grades the students' to see, final but for corrections and appeals): an
 * ON_PUBLICATION exam's once they are published, an AT_ONCE exam's once the exam has ended (each grade was published
 * as it was saved). A retake is created only then (RetakeService).
 */
export const resultsOut = (exam: Pick<Exam, 'resultsRelease' | 'resultsPublishedAt' | 'endsAt'>, now: Date): boolean =>
  exam.resultsRelease === ResultsRelease.AT_ONCE ? hasEnded(exam, null, now) : resultsPublished(exam);
