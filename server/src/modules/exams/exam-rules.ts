import { createHash } from 'node:crypto';
import { ConfirmationRequiredError, ExamEndedError, ExamNotStartedError } from '../../common/errors';
import { endFor, type ExtraTime, hasEnded, hasStarted } from '../../rules';
import { ExamFormat, TicketAssignment, type Exam } from './exam.entity';

/**
 * The time rules of the spec, as pure functions of the server's clock.
 * Everything that asks "may this happen now?" comes here.
 */
type Timed = Pick<Exam, 'startsAt' | 'endsAt'>;
type SittingTimes = ExtraTime<Date>;

// the clock and answer rules shared with the web app live in server/src/rules; the server's refusals build on them
export { endFor, hasEnded, hasStarted, isSubstantialAnswer, MIN_ANSWER_CHARS } from '../../rules';

export function assertStarted(exam: Timed, now: Date): void {
  if (!hasStarted(exam, now)) {
    throw new ExamNotStartedError(`The exam has not started yet; it starts at ${exam.startsAt.toISOString()}.`);
  }
}

export function assertOpen(exam: Timed, sitting: SittingTimes, now: Date): void {
  assertStarted(exam, now);
  if (hasEnded(exam, sitting, now)) {
    throw new ExamEndedError(`The exam ended at ${endFor(exam, sitting).toISOString()}; nothing can be changed any more.`);
  }
}

/** Staff may change a running exam, but only on purpose: students are taking it. */
export function assertChangeConfirmed(exam: Timed, now: Date, confirmed: boolean | undefined): void {
  if (hasStarted(exam, now) && !confirmed) {
    throw new ConfirmationRequiredError('The exam has already started and students are taking it. Confirm to change it anyway (confirmStarted: true).');
  }
}

/** R4.1: the choose-a-ticket block needs tickets, student choice, and tickets entered. */
export const studentsChoose = (exam: Pick<Exam, 'format' | 'ticketAssignment'>) =>
  exam.format === ExamFormat.TICKETS && (exam.ticketAssignment ?? TicketAssignment.STUDENT_CHOICE) === TicketAssignment.STUDENT_CHOICE;

/** R4.1: the board is the student's while they may still choose: student choice, the exam open for them, no ticket yet. */
export function mayChooseTicket(exam: Pick<Exam, 'format' | 'ticketAssignment'> & Timed, sitting: { ticket?: unknown } & SittingTimes, now: Date): boolean {
  return studentsChoose(exam) && !sitting?.ticket && hasStarted(exam, now) && !hasEnded(exam, sitting, now);
}

/** R7.1: with tickets, the answers block opens once the questions were seen; with a task, at the start. */
export function answersOpen(exam: Pick<Exam, 'format'> & Timed, sitting: { questionsViewedAt?: Date | null }, now: Date): boolean {
  return hasStarted(exam, now) && (exam.format === ExamFormat.TASK || !!sitting.questionsViewedAt);
}

/** R4.2: a random order that is stable for one student and differs between students. */
export function tileOrderKey(studentId: string, ticketId: string): string {
  return createHash('sha256').update(`${studentId}:${ticketId}`).digest('hex');
}

/**
 * R4.2: the student's order of the tiles `tileIds`, as indexes into it: the board shows `tileIds[order[0]]` first.
 * Each tile's key is computed once (not in the comparator); the HTTP board and its pushes both use this.
 */
export function tileOrder(studentId: string, tileIds: readonly string[]): Uint32Array {
  const keys = tileIds.map((id) => tileOrderKey(studentId, id));
  return Uint32Array.from(keys.keys()).sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0));
}
