import { AnswerStatus } from '../modules/answers/answer.entity';
import type { Viewer } from './exam.policy';

/** What the rules read of an answer. */
export interface AnswerFacts {
  authorId: string;
  status: AnswerStatus;
}

/**
 * R7.4: a draft is its author's alone; once sent, the answer (its text and files) is seen by all who see the sitting
 * (the student, staff and the exam's teacher: `canSeeEverySitting`).
 */
export function canSeeAnswer(user: Viewer | null | undefined, answer: AnswerFacts): boolean {
  return answer.status === AnswerStatus.SUBMITTED || (!!user && user.id === answer.authorId);
}
