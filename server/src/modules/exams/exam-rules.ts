import { BadUserInputError, ConfirmationRequiredError, ExamEndedError, ExamNotStartedError } from '../../common/errors';
import { endFor, type ExtraTime, hasEnded, hasStarted, type RetakeTimesProblem } from '../../rules';
import { Role, type User } from '../users/user.entity';
import { ExamFormat, TicketAssignment, type Exam } from './exam.entity';

/**
 * The time rules of the spec, as pure functions of the server's clock.
 * Everything that asks "may this happen now?" comes here.
 */
type Timed = Pick<Exam, 'startsAt' | 'endsAt'>;
type SittingTimes = ExtraTime<Date>;

// the clock and answer rules shared with the web app live in server/src/rules; the server's refusals build on them
export { endFor, hasEnded, hasStarted, isSubstantialAnswer, MIN_ANSWER_CHARS, withinSendGrace } from '../../rules';

export function assertStarted(exam: Timed, now: Date): void {
  if (!hasStarted(exam, now)) {
    throw new ExamNotStartedError(`The exam has not started yet; it starts at ${exam.startsAt.toISOString()}.`);
  }
}

/** `graceMs`: a Send's grace after the end, only named in the refusal (the caller has already allowed it when within). */
export function assertOpen(exam: Timed, sitting: SittingTimes, now: Date, graceMs = 0): void {
  assertStarted(exam, now);
  if (hasEnded(exam, sitting, now)) {
    const end = endFor(exam, sitting).toISOString();
    throw new ExamEndedError(
      graceMs > 0
        ? `The exam ended at ${end} and a Send is taken only up to ${Math.round(graceMs / 1000)} s after it; nothing can be changed any more.`
        : `The exam ended at ${end}; nothing can be changed any more.`,
    );
  }
}

const TIMES_REFUSALS: Record<RetakeTimesProblem, string> = {
  END_NOT_AFTER_START: 'The end time must be after the start time.',
  TOO_LONG: 'An exam cannot last longer than a week; check the dates.',
  STARTS_IN_PAST: 'A retake cannot start in the past; pick a later date or start time.',
  STARTS_BEFORE_ORIGINAL_ENDS: 'A retake must start after the exam it retakes has ended; pick a later date.',
};

/** The one refusal of an exam's (or a retake's) times: `problem` from @rules' examTimesProblem / retakeTimesProblem. */
export function assertTimesValid(problem: RetakeTimesProblem | null): void {
  if (problem) throw new BadUserInputError(TIMES_REFUSALS[problem]);
}

/** Whether the exam sends its students' drafts at their end: its own choice, else the server's AUTO_SEND_AT_END. */
export const sendsDraftsAtEnd = (exam: Pick<Exam, 'autoSendAtEnd'>, serverDefault: boolean): boolean =>
  exam.autoSendAtEnd ?? serverDefault;

/** The `confirmStarted` argument of every change that assertChangeConfirmed guards. */
export const CONFIRM_STARTED =
  'True to make the change although the exam has started (students are taking it); without it such a change is refused with CONFIRMATION_REQUIRED.';

/** Staff may change a running exam, but only on purpose: students are taking it. */
export function assertChangeConfirmed(exam: Timed, now: Date, confirmed: boolean | undefined): void {
  if (hasStarted(exam, now) && !confirmed) {
    throw new ConfirmationRequiredError(
      'The exam has already started and students are taking it. Confirm to change it anyway (confirmStarted: true).',
    );
  }
}

/** R4.1: the choose-a-ticket block needs tickets, student choice, and tickets entered. */
export const studentsChoose = (exam: Pick<Exam, 'format' | 'ticketAssignment'>) =>
  exam.format === ExamFormat.TICKETS &&
  (exam.ticketAssignment ?? TicketAssignment.STUDENT_CHOICE) === TicketAssignment.STUDENT_CHOICE;

/** R4.1: the board is the student's while they may still choose: student choice, the exam open for them, no ticket yet. */
export function mayChooseTicket(
  exam: Pick<Exam, 'format' | 'ticketAssignment'> & Timed,
  sitting: { ticket?: unknown } & SittingTimes,
  now: Date,
): boolean {
  return studentsChoose(exam) && !sitting?.ticket && hasStarted(exam, now) && !hasEnded(exam, sitting, now);
}

/** R7.1: with tickets, the answers block opens once the questions were seen; with a task, at the start. */
export function answersOpen(
  exam: Pick<Exam, 'format'> & Timed,
  sitting: { questionsViewedAt?: Date | null },
  now: Date,
): boolean {
  return hasStarted(exam, now) && (exam.format === ExamFormat.TASK || !!sitting.questionsViewedAt);
}

/** FNV-1a over the string's UTF-16 units from `seed`, then murmur3's finalizer: a well-spread 32-bit hash */
function hash32(text: string, seed: number): number {
  let h = (seed ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return mix32(h);
}

/** murmur3's 32-bit finalizer: a bijection that spreads every input bit over the output */
function mix32(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** a tile's own hash, the same for every student: a board's viewers share these, computed once per tile */
export const tileHash = (ticketId: string): number => hash32(ticketId, 0);

/**
 * R4.2: a random order that is stable for one student and differs between students. Nothing secret rides on it (the
 * tiles carry no numbers), so a fast hash does: the tile's own hash mixed with the student's, so a board is ordered
 * for thousands of viewers without hashing its tiles' ids again for each.
 */
export function tileOrderKey(studentId: string, ticketId: string): number {
  return mix32(tileHash(ticketId) ^ hash32(studentId, 0));
}

/**
 * R4.2: the student's order of the tiles `tileIds`, as indexes into it: the board shows `tileIds[order[0]]` first
 * (by key; equal keys keep the order given). The HTTP board and its pushes both use this; `hashes` (the tiles'
 * `tileHash`, in the same order) may be given when many students' orders of one board are computed.
 */
export function tileOrder(
  studentId: string,
  tileIds: readonly string[],
  hashes: ArrayLike<number> = Uint32Array.from(tileIds, tileHash),
): Uint32Array {
  const seed = hash32(studentId, 0);
  const count = tileIds.length;
  const indexBits = Math.max(1, Math.ceil(Math.log2(count + 1)));
  if (indexBits > BUCKET_BITS_MAX) return tileOrderOfMany(seed, count, hashes, 2 ** indexBits);
  // a bucket sort by the keys' high bits (as many buckets as tiles, or more), then an insertion pass puts the few keys
  // that share a bucket in (key, index) order: a comparison sort of packed numbers costs several times as much a viewer
  const shift = 32 - indexBits;
  // the keys and the buckets' counts are scratch, reused by every call (no buffer for the collector per viewer)
  if (scratch.keys.length < count) scratch.keys = new Uint32Array(count);
  if (scratch.starts.length <= 1 << indexBits) scratch.starts = new Uint32Array((1 << indexBits) + 1);
  else scratch.starts.fill(0, 0, (1 << indexBits) + 1);
  const { keys, starts } = scratch;
  for (let i = 0; i < count; i++) {
    const key = mix32(hashes[i] ^ seed);
    keys[i] = key;
    starts[(key >>> shift) + 1]++;
  }
  for (let bucket = 0; bucket < 1 << indexBits; bucket++) starts[bucket + 1] += starts[bucket];
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[starts[keys[i] >>> shift]++] = i;
  for (let i = 1; i < count; i++) {
    const index = order[i];
    const key = keys[index];
    let j = i - 1;
    while (j >= 0 && (keys[order[j]] > key || (keys[order[j]] === key && order[j] > index))) {
      order[j + 1] = order[j];
      j--;
    }
    order[j + 1] = index;
  }
  return order;
}
/** above this many bits of index, the buckets' counts would outweigh the sort: packed doubles then */
const BUCKET_BITS_MAX = 16;
const scratch = { keys: new Uint32Array(0), starts: new Uint32Array(0) };

/** `tileOrder` of a board too large to pack key and index in 32 bits: both in a double (32 + at most 21 bits: exact) */
function tileOrderOfMany(seed: number, count: number, hashes: ArrayLike<number>, slots: number): Uint32Array {
  const packed = new Float64Array(count);
  for (let i = 0; i < count; i++) packed[i] = mix32(hashes[i] ^ seed) * slots + i;
  packed.sort();
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = packed[i] % slots;
  return order;
}

/** An exam's teacher is a user with the TEACHER role. */
export const mayTeachExam = (user: Pick<User, 'role'> | null | undefined): boolean => user?.role === Role.TEACHER;

/** Only students are enrolled in an exam. */
export const mayBeEnrolled = (user: Pick<User, 'role'>): boolean => user.role === Role.STUDENT;

/** A task exam has no tickets, so no way of handing them out either. */
export const ticketModeProblem = (
  format: ExamFormat,
  ticketAssignment: TicketAssignment | null | undefined,
): 'TICKET_MODE_FOR_TASK' | null => (format !== ExamFormat.TICKETS && ticketAssignment ? 'TICKET_MODE_FOR_TASK' : null);
