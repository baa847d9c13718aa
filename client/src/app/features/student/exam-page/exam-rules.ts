import { type ExamPhase, examPhase, isSubstantialAnswer } from '@rules';
import type { StudentExamQuery } from '../../../core/graphql/generated';

/**
 * What the exam page shows and enables, as pure functions of the exam (as the server gave it), the
 * server's clock and what the student has done on the page. The server enforces every rule; these
 * only mirror them so that nothing appears before it may, and nothing stays enabled after it may not.
 */
export type StudentExam = NonNullable<StudentExamQuery['exam']>;
export type StudentSitting = NonNullable<StudentExam['mySitting']>;

/** What the ticket part of the page shows instead of, or as, the board (R4.1). */
export type BoardState =
  | 'none' //         not a ticket exam, or the student holds a ticket already
  | 'choose' //       R4.1: the «Билетті таңдау» tiles
  | 'opensAtStart' // students choose, but the exam has not started
  | 'noTickets' //    students choose, but staff have not entered the tickets
  | 'byRandom' //     the system draws the ticket
  | 'byStaff'; //     staff give the ticket

/** What the student did on the page that the server does not tell: pressed «Show the questions», got them. */
export interface PageActions {
  /** pressed «Билет бойынша сұрақтарды көрсету» (R5.2) */
  readonly questionsRequested: boolean;
  /** the questions came back from showTicketQuestions (R5.3) */
  readonly questionsLoaded: boolean;
}

export interface ExamView {
  /** on the server's clock, against the student's own end */
  readonly phase: ExamPhase;
  readonly started: boolean;
  /** the student's own end (extra time included) has come */
  readonly ended: boolean;
  readonly startsAt: number;
  readonly endsAt: number;
  /** R2.3 */
  readonly ticketNumber: number | null;
  /** R2.4, R6.1 */
  readonly showTask: boolean;
  /** R2.5 */
  readonly showGrade: boolean;
  /** R2.6, R3.1 */
  readonly showPlatform: boolean;
  readonly board: BoardState;
  /** R4.4, R5.1 */
  readonly showQuestionsButton: boolean;
  /** R5.2 */
  readonly showQuestionsPending: boolean;
  /** staff released the questions while the student has not pressed the button yet */
  readonly questionsReleasedHint: boolean;
  /** R5.3 */
  readonly showQuestions: boolean;
  /** R7.1 */
  readonly showAnswers: boolean;
  /** R7.6 and the end time: the answer can no longer change */
  readonly answerLock: 'submitted' | 'ended' | null;
  /** R8.1 */
  readonly showRecording: boolean;
}

function boardState(exam: StudentExam, sitting: StudentSitting | null, started: boolean, ended: boolean): BoardState {
  if (exam.format !== 'TICKETS' || sitting?.ticketNumber != null) return 'none';
  const assignment = exam.ticketAssignment ?? 'STUDENT_CHOICE';
  if (assignment === 'RANDOM') return ended ? 'none' : 'byRandom';
  if (assignment === 'STAFF') return ended ? 'none' : 'byStaff';
  if (!started) return 'opensAtStart';
  if (ended) return 'none';
  return exam.ticketBoard && exam.ticketBoard.length > 0 ? 'choose' : 'noTickets';
}

export function examView(exam: StudentExam, now: number, actions: PageActions): ExamView {
  const sitting = exam.mySitting;
  // mySitting.endsAt is the student's own end as the server computes it (endFor: extra time included)
  const times = { startsAt: exam.startsAt, endsAt: sitting?.endsAt ?? exam.endsAt };
  const phase = examPhase(times, now);
  const startsAt = Date.parse(times.startsAt);
  const endsAt = Date.parse(times.endsAt);
  const started = phase !== 'upcoming';
  const ended = phase === 'ended';
  const tickets = exam.format === 'TICKETS';
  // the server hides the number until the start; the clock check keeps a stale read from showing it early
  const ticketNumber = tickets && started ? (sitting?.ticketNumber ?? null) : null;
  const holdsTicket = ticketNumber != null;
  // the questions on this page were shown by the server, which records questionsViewedAt on that very call (R5.3):
  // seen, without waiting for a re-read that may have started before it
  const questionsSeen = !!sitting?.questionsViewedAt || actions.questionsLoaded;

  const showQuestions = tickets && holdsTicket && actions.questionsLoaded;
  const showTask = !tickets && started && !!exam.task;
  const submitted = sitting?.answerStatus === 'SUBMITTED';

  return {
    phase,
    started,
    ended,
    startsAt,
    endsAt,
    ticketNumber,
    showTask,
    showGrade: !!sitting?.grade,
    showPlatform: !!exam.platform,
    board: boardState(exam, sitting, started, ended),
    showQuestionsButton: tickets && holdsTicket && !showQuestions,
    showQuestionsPending:
      tickets && holdsTicket && !showQuestions && actions.questionsRequested && !sitting?.questionsReleasedAt,
    questionsReleasedHint:
      tickets && holdsTicket && !showQuestions && !actions.questionsRequested && !!sitting?.questionsReleasedAt,
    showQuestions,
    showAnswers: !!sitting && started && (tickets ? holdsTicket && questionsSeen : showTask),
    answerLock: submitted ? 'submitted' : ended ? 'ended' : null,
    showRecording: !!exam.recording,
  };
}

/** R7.4: «Сақтау» — enough written or a file, while the answer can still change. */
export function canSave(text: string, fileCount: number, lock: ExamView['answerLock']): boolean {
  return lock === null && isSubstantialAnswer(text, fileCount);
}

/** R7.5: «Жауапты жіберу» — enough written or a file, and the end time has not come (nor the answer gone). */
export function canSend(text: string, fileCount: number, lock: ExamView['answerLock']): boolean {
  return lock === null && isSubstantialAnswer(text, fileCount);
}
