import type { GradedSittingFragment } from '../app/core/graphql/generated';
import { at } from './exam-fixtures';

/** A sitting as the teacher grades it: a sent answer by default. */
export function gradedSitting(login: string, fullName: string, overrides: Partial<GradedSittingFragment> = {}): GradedSittingFragment {
  return {
    id: `sitting-${login}`,
    ticketNumber: 3,
    answerStatus: 'SUBMITTED',
    submittedAt: at(-5),
    endsAt: at(120),
    student: { id: `student-${login}`, login, fullName },
    answer: { id: `answer-${login}`, text: 'Үшінші қалыпты форма — транзитивті тәуелділіктер жоқ.', submittedAt: at(-5), files: [] },
    grade: null,
    ...overrides,
  };
}
