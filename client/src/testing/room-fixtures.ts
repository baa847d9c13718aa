import type { GradedSittingFragment, RoomSittingFragment } from '../app/core/graphql/generated';
import { at } from './exam-fixtures';

/** A row of the live room, as the server would push it. */
export function roomSitting(
  login: string,
  fullName: string,
  overrides: Partial<RoomSittingFragment> = {},
): RoomSittingFragment {
  return {
    id: `sitting-${login}`,
    online: false,
    onlineSince: null,
    enteredAt: null,
    lastSeenAt: null,
    ticketNumber: null,
    questionsReleasedAt: null,
    questionsViewedAt: null,
    answerStatus: null,
    answerSavedAt: null,
    submittedAt: null,
    answerSendMode: null,
    draftAfterEnd: null,
    endsAt: at(120),
    blindCode: null,
    student: { id: `student-${login}`, login, fullName },
    grade: null,
    ...overrides,
  };
}

/** A sitting as the teacher grades it: a sent answer by default. */
export function gradedSitting(
  login: string,
  fullName: string,
  overrides: Partial<GradedSittingFragment> = {},
): GradedSittingFragment {
  return {
    id: `sitting-${login}`,
    ticketNumber: 3,
    answerStatus: 'SUBMITTED',
    submittedAt: at(-5),
    answerSendMode: 'STUDENT',
    draftAfterEnd: null,
    endsAt: at(120),
    gradePublishedAt: null,
    blind: false,
    blindCode: null,
    student: { id: `student-${login}`, login, fullName },
    answer: {
      id: `answer-${login}`,
      text: 'Үшінші қалыпты форма — транзитивті тәуелділіктер жоқ.',
      submittedAt: at(-5),
      files: [],
    },
    grade: null,
    ...overrides,
  };
}
