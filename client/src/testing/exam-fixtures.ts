import type { StudentExam, StudentSitting } from '../app/features/student/exam-page/exam-rules';

/** Shared spec helpers: an exam as the server would give it, at a fixed clock. */
export const MINUTE = 60_000;
export const NOW = Date.parse('2026-11-29T06:00:00.000Z'); // 11:00 in Almaty

export const at = (minutes: number) => new Date(NOW + minutes * MINUTE).toISOString();

export function sittingFixture(overrides: Partial<StudentSitting> = {}): StudentSitting {
  return {
    __typename: 'Sitting',
    id: 'sitting-1',
    enteredAt: at(-1),
    questionsReleasedAt: null,
    questionsViewedAt: null,
    ticketNumber: null,
    endsAt: at(120),
    answerStatus: null,
    answerSavedAt: null,
    submittedAt: null,
    answerSendMode: null,
    draftAfterEnd: null,
    answer: null,
    grade: null,
    ...overrides,
  } as StudentSitting;
}

export function examFixture(overrides: Partial<StudentExam> = {}, sitting: Partial<StudentSitting> = {}): StudentExam {
  return {
    __typename: 'Exam',
    id: 'exam-1',
    startsAt: at(-10),
    endsAt: at(120),
    format: 'TICKETS',
    ticketAssignment: 'STUDENT_CHOICE',
    autoSendAtEnd: true,
    academicYear: { __typename: 'AcademicYear', id: 'y1', title: '2026-2027' },
    period: { __typename: 'Period', id: 'p1', number: 1 },
    discipline: { __typename: 'Discipline', id: 'd1', code: 'CSE-301', title: 'Деректер қорлары' },
    teacher: { __typename: 'User', id: 't1', fullName: 'Нұрлан Әбенов' },
    task: null,
    platform: null,
    recording: null,
    ticketBoard: [
      { __typename: 'TicketTile', id: 'tile-a', taken: false },
      { __typename: 'TicketTile', id: 'tile-b', taken: true },
      { __typename: 'TicketTile', id: 'tile-c', taken: false },
    ],
    mySitting: sittingFixture(sitting),
    ...overrides,
  } as StudentExam;
}

export const NO_ACTIONS = { questionsRequested: false, questionsLoaded: false } as const;
