import { AnswerStatus } from '../modules/answers/answer.entity';
import { canDownload, type FileFacts } from './file.policy';
import {
  after,
  before,
  during,
  exam,
  otherStudent,
  otherTeacher,
  ownTeacher,
  staff,
  student,
} from '../testing/policy-cast';

const released = new Date('2026-06-01T09:05:00Z');
const answerFile = (status: AnswerStatus): FileFacts => ({
  owner: 'answer',
  exam,
  answer: { authorId: student.id, status },
});
const taskFile = (enrolled: boolean): FileFacts => ({
  owner: 'task',
  exam,
  viewerSitting: enrolled ? { ticketId: null, questionsReleasedAt: null } : null,
});
const ticketFile = (held: string | null, releasedAt: Date | null): FileFacts => ({
  owner: 'ticket',
  exam,
  ticketId: 't1',
  viewerSitting: { ticketId: held, questionsReleasedAt: releasedAt },
});

describe('file policy: canDownload — a file as the pages show it', () => {
  const table: [string, Parameters<typeof canDownload>[0], FileFacts, Date, boolean][] = [
    ["the author, their draft's file", student, answerFile(AnswerStatus.DRAFT), during, true],
    ["staff, a draft's file", staff, answerFile(AnswerStatus.DRAFT), during, false],
    ["staff, a sent answer's file", staff, answerFile(AnswerStatus.SUBMITTED), during, true],
    ["the exam's teacher, a sent answer's file", ownTeacher, answerFile(AnswerStatus.SUBMITTED), after, true],
    ["another teacher, a sent answer's file", otherTeacher, answerFile(AnswerStatus.SUBMITTED), after, false],
    ["another student, a sent answer's file", otherStudent, answerFile(AnswerStatus.SUBMITTED), after, false],
    ['staff, a task file before the start', staff, taskFile(false), before, true],
    ['an enrolled student, a task file before the start', student, taskFile(true), before, false],
    ['an enrolled student, a task file once started', student, taskFile(true), during, true],
    ['a student not enrolled, a task file once started', otherStudent, taskFile(false), during, false],
    ['another teacher, a task file once started', otherTeacher, taskFile(false), during, false],
    ["the exam's teacher, a ticket file before the start", ownTeacher, ticketFile(null, null), before, true],
    ['the holder, released, running', student, ticketFile('t1', released), during, true],
    ['the holder, not released yet', student, ticketFile('t1', null), during, false],
    ['a student holding another ticket, released', student, ticketFile('t2', released), during, false],
    [
      'a student not enrolled, a ticket file',
      otherStudent,
      { owner: 'ticket', exam, ticketId: 't1', viewerSitting: null },
      during,
      false,
    ],
    ['staff, a file of no ticket, task or answer', staff, { owner: 'none' }, during, false],
    // issue 12: the appeal commission sees the case; an appeal's files go with the appeal
    [
      "a commission member, a sent answer's file",
      otherTeacher,
      { ...answerFile(AnswerStatus.SUBMITTED), reviewer: true } as FileFacts,
      after,
      true,
    ],
    [
      "a commission member, a draft's file",
      otherTeacher,
      { ...answerFile(AnswerStatus.DRAFT), reviewer: true } as FileFacts,
      after,
      false,
    ],
    [
      'a commission member, the ticket file',
      otherTeacher,
      { ...ticketFile(null, null), reviewer: true } as FileFacts,
      after,
      true,
    ],
    [
      'a commission member, the task file',
      otherTeacher,
      { ...taskFile(false), reviewer: true } as FileFacts,
      before,
      true,
    ],
    ...(
      [
        ['the appellant', student, true],
        ['staff', staff, true],
        ["the exam's teacher", ownTeacher, true],
        ['a commission member', otherTeacher, true],
        ['another student', otherStudent, false],
      ] as const
    ).map(([who, user, expected]): [string, typeof user, FileFacts, Date, boolean] => [
      `${who}, an appeal's file`,
      user,
      {
        owner: 'appeal',
        appeal: {
          studentId: student.id,
          exam,
          commissionIds: who === 'a commission member' ? [otherTeacher.id] : [],
        },
      },
      after,
      expected,
    ]),
    [
      "another teacher, an appeal's file of a commission they are not on",
      otherTeacher,
      { owner: 'appeal', appeal: { studentId: student.id, exam, commissionIds: ['someone-else'] } },
      after,
      false,
    ],
  ];
  for (const [what, user, file, now, expected] of table) {
    it(`${what}: ${expected}`, () => expect(canDownload(user, file, now)).toBe(expected));
  }
});
