import type { EntityManager } from '@mikro-orm/core';
import { BatchLoader, groupBy } from '../../common/batch-loader';
import { BadUserInputError, NotFoundError } from '../../common/errors';
import { extraTimeValid } from '../../rules';
import { plainSql } from '../../common/plain-sql';
import { adoptWritten } from '../../common/written';
import { TurnBatch } from '../../common/turn-batch';
import type { ExamEvents, SittingEventPayload } from '../../common/events';
import { insertEvents, openEntries, recordEvent, SittingEventKind, type TrailRow } from '../audit/audit.service';
import { ExamFormat, type Exam } from '../exams/exam.entity';
import { assertStarted } from '../exams/exam-rules';
import type { Presence } from '../presence/presence';
import { StoredFile } from '../files/stored-file.entity';
import type { TicketService } from '../tickets/ticket.service';
import type { User } from '../users/user.entity';
import { Sitting } from './sitting.entity';
import { IDS_A_READ, readAlready, readSittings } from './sittings.read';

/** ids in one `IN (…)` list (SQLite allows 32,766 parameters a statement) */
const IDS_A_STATEMENT = 1_000;
/** `?, ?, …`: one bound parameter per id */
const marks = (ids: readonly unknown[]) => ids.map(() => '?').join(', ');

/** what a presence write needs of a sitting */
export type SittingRef = Pick<Sitting, 'id'> & { exam: { id: string }; student: { id: string } };

interface PresenceWrite {
  sitting: SittingRef;
  now: Date;
  kind: SittingEventKind;
  detail: string;
  /** the first entry: enteredAt is set too, unless set meanwhile */
  entering: boolean;
  /** any of the batch's: the batch is written through a fork of the first */
  em: EntityManager;
}

/** the trail's detail of an entry, whichever request recorded it */
const ENTRY_DETAIL = 'exam page opened';

/** a release's conditional UPDATE of an exam's sittings (bound: the time twice, the exam) */
const RELEASE =
  'update sittings set questions_released_at = ?, updated_at = ? where exam_id = ? and ticket_id is not null and questions_released_at is null';
const RELEASE_ALL = `${RELEASE} returning id, student_id`;
interface ReleasedRow {
  id: string;
  student_id: string;
}

export const QUESTIONS_PENDING_MESSAGE = 'Please wait. The questions have not been sent yet.';

export type QuestionsOutcome =
  { kind: 'pending' } | { kind: 'shown'; ticketNumber: number; questions: string; files: StoredFile[]; viewedAt: Date };

export class SittingService {
  constructor(
    private readonly events: ExamEvents,
    private readonly presence: Presence,
    private readonly tickets: TicketService,
    /** PRESENCE_WRITE_GAP_MS: the least time between two presence transactions (see presenceWrites) */
    presenceWriteGapMs = 0,
  ) {
    this.presenceWrites = new TurnBatch<PresenceWrite>(async (batch) => {
      await this.writePresenceNow(batch);
      return batch.map(() => undefined);
    }, presenceWriteGapMs);
  }

  private publish(sitting: Sitting) {
    this.events.sittingChanged({ examId: sitting.exam.id, sittingId: sitting.id, studentId: sitting.student.id });
  }

  /** R2.1: the student opened the exam page. In RANDOM mode an open exam also draws their ticket. */
  async enter(em: EntityManager, exam: Exam, sitting: Sitting, now: Date): Promise<Sitting> {
    // the page's socket says the same (socketJoined): one entry, one «Кірді», whichever arrives first
    await this.writePresence(em, sitting, now, SittingEventKind.ENTERED, ENTRY_DETAIL, !sitting.enteredAt);
    adoptWritten(em, sitting, { enteredAt: sitting.enteredAt ?? now, lastSeenAt: now });
    await this.tickets.drawIfRandom(em, exam, sitting, now);
    return sitting;
  }

  /**
   * A socket subscribed to the exam: the first one makes the student online. Written with the turn's other presence
   * changes and no managed entity (`sitting` is only read: nothing may write what came with it, e.g. its exam's times).
   */
  async socketJoined(em: EntityManager, sitting: Sitting, now: Date): Promise<void> {
    if (!(await this.presence.join(sitting.exam.id, sitting.student.id, now))) return;
    await this.writePresence(em, sitting, now, SittingEventKind.ENTERED, ENTRY_DETAIL, !sitting.enteredAt);
  }

  /** A socket went away (closed, or missed its heartbeat): the last one makes the student offline. */
  async socketLeft(em: EntityManager, sitting: SittingRef, now: Date): Promise<void> {
    if (!(await this.presence.leave(sitting.exam.id, sitting.student.id))) return;
    await this.writePresence(em, sitting, now, SittingEventKind.LEFT, 'exam page closed');
  }

  /** The student's instance stopped answering (several instances): they are offline since their last refresh. */
  async connectionLost(em: EntityManager, examId: string, studentId: string, now: Date): Promise<void> {
    const sitting = await em.findOne(Sitting, { exam: examId, student: studentId }, { fields: ['id'] });
    if (sitting)
      await this.writePresence(
        em,
        { id: sitting.id, exam: { id: examId }, student: { id: studentId } },
        now,
        SittingEventKind.LEFT,
        'connection lost',
      );
  }

  /** lastSeenAt (and enteredAt on a first entry) and the trail row, written with the other presence changes of this turn; then the push */
  private writePresence(
    em: EntityManager,
    sitting: SittingRef,
    now: Date,
    kind: SittingEventKind,
    detail: string,
    entering = false,
  ): Promise<void> {
    return this.presenceWrites.add({ em, sitting, now, kind, detail, entering });
  }

  /**
   * pages opening or closing together (an exam's start, a reconnect storm) are a few transactions, not one each: under
   * a stream of them, one transaction per PRESENCE_WRITE_GAP_MS at most, each with every page that came meanwhile
   */
  private readonly presenceWrites: TurnBatch<PresenceWrite>;

  /**
   * one short plain-SQL transaction (bound, prepared statements; no query building): an UPDATE per 1,000 sittings (and
   * one for first entries), one read of their open entries, multi-row INSERTs of trail rows; then the pushes
   */
  private async writePresenceNow(batch: PresenceWrite[]): Promise<void> {
    const now = new Date(Math.max(...batch.map((w) => w.now.getTime())));
    const seen = [...new Set(batch.map((w) => w.sitting.id))];
    const entering = [...new Set(batch.filter((w) => w.entering).map((w) => w.sitting.id))];
    const sql = plainSql(batch[0].em);
    const at = sql.time(now);
    await sql.transaction(async (tx) => {
      for (let i = 0; i < seen.length; i += IDS_A_STATEMENT) {
        const ids = seen.slice(i, i + IDS_A_STATEMENT);
        await tx.run(`update sittings set last_seen_at = ?, updated_at = ? where id in (${marks(ids)})`, [
          at,
          at,
          ...ids,
        ]);
      }
      for (let i = 0; i < entering.length; i += IDS_A_STATEMENT) {
        const ids = entering.slice(i, i + IDS_A_STATEMENT);
        await tx.run(`update sittings set entered_at = ? where entered_at is null and id in (${marks(ids)})`, [
          at,
          ...ids,
        ]);
      }
      // after the UPDATEs above (row locks on PostgreSQL): an entry already open is not entered again
      const arriving = [...new Set(batch.filter((w) => w.kind === SittingEventKind.ENTERED).map((w) => w.sitting.id))];
      const inRoom = arriving.length ? await openEntries(tx, arriving, (value) => sql.date(value)!) : new Set<string>();
      const rows: TrailRow[] = [];
      for (const w of batch) {
        if (w.kind === SittingEventKind.ENTERED) {
          if (inRoom.has(w.sitting.id)) continue;
          inRoom.add(w.sitting.id);
        } else if (w.kind === SittingEventKind.LEFT) inRoom.delete(w.sitting.id);
        rows.push({
          sittingId: w.sitting.id,
          kind: w.kind,
          actorId: w.sitting.student.id,
          at: w.now,
          detail: w.detail,
        });
      }
      await insertEvents(tx, rows, (date) => sql.time(date));
    });
    // one event per exam for the transaction's sittings (each once): one message, one arrival in a staff room's queue,
    // and their rows read once for all its pushes (SittingBatch), however many pages opened together
    const changes = new Map<string, Map<string, SittingEventPayload>>();
    for (const { sitting } of batch) {
      let ofExam = changes.get(sitting.exam.id);
      if (!ofExam) changes.set(sitting.exam.id, (ofExam = new Map()));
      ofExam.set(sitting.id, {
        examId: sitting.exam.id,
        sittingId: sitting.id,
        studentId: sitting.student.id,
        presence: true,
      });
    }
    for (const [examId, ofExam] of changes) this.events.sittingsChanged(examId, [...ofExam.values()]);
  }

  /** presence asked for in one turn (every sitting of a page) is read with one call per exam, never remembered */
  private readonly presenceAsks = new BatchLoader<string, Date | null>(
    async (keys) => {
      const byExam = groupBy(
        keys.map((key) => key.split(':') as [string, string]),
        ([examId]) => examId,
      );
      const answers = await Promise.all(
        [...byExam].map(
          async ([examId, pairs]) =>
            [
              examId,
              await this.presence.onlineSinceMany(
                examId,
                pairs.map(([, studentId]) => studentId),
              ),
            ] as const,
        ),
      );
      return new Map(
        answers.flatMap(([examId, since]) =>
          [...since].map(([studentId, at]) => [`${examId}:${studentId}`, at] as const),
        ),
      );
    },
    null,
    false,
  );

  onlineSince(sitting: Sitting): Promise<Date | null> {
    return this.presenceAsks.load(`${sitting.exam.id}:${sitting.student.id}`);
  }

  /**
   * R5.3: to the listed students, or to everyone holding a ticket. Already released ones keep their time. Written as
   * set-based conditional UPDATEs and multi-row trail INSERTs in one short transaction, and answered with plain
   * sittings (sittings.read.ts): a release to thousands hydrates no entity.
   */
  async releaseQuestions(
    em: EntityManager,
    exam: Exam,
    studentIds: string[] | null | undefined,
    actor: User,
    now: Date,
  ): Promise<Sitting[]> {
    if (exam.format !== ExamFormat.TICKETS)
      throw new BadUserInputError('This exam is held with a task; its task shows by itself at the start time.');
    let listed: Sitting[] | undefined;
    if (studentIds) {
      const unique = [...new Set(studentIds)];
      listed = await readSittings(em, exam, { studentIds: unique });
      const found = new Set(listed.map((s) => s.student.id));
      const missing = unique.filter((id) => !found.has(id));
      if (missing.length)
        throw new NotFoundError(`${missing.length} of the listed students are not enrolled at this exam.`);
      const ticketless = listed.filter((s) => !s.ticket);
      if (ticketless.length) {
        throw new BadUserInputError(
          `These students have no ticket yet, so there is nothing to release: ${ticketless.map((s) => s.student.fullName).join(', ')}.`,
        );
      }
    }
    const sql = plainSql(em);
    const at = sql.time(now);
    const pending = listed?.filter((s) => !s.questionsReleasedAt).map((s) => s.id);
    // conditional: a sitting released meanwhile keeps its time and is neither written nor announced again
    const released =
      pending?.length === 0
        ? []
        : await sql.transaction(async (tx) => {
            const rows: ReleasedRow[] = [];
            if (!pending) rows.push(...(await tx.rows<ReleasedRow>(RELEASE_ALL, [at, at, exam.id])));
            for (let i = 0; pending && i < pending.length; i += IDS_A_READ) {
              const ids = pending.slice(i, i + IDS_A_READ);
              rows.push(
                ...(await tx.rows<ReleasedRow>(
                  `${RELEASE} and id in (${ids.map(() => '?').join(', ')}) returning id, student_id`,
                  [at, at, exam.id, ...ids],
                )),
              );
            }
            await insertEvents(
              tx,
              rows.map((row) => ({
                sittingId: row.id,
                kind: SittingEventKind.QUESTIONS_RELEASED,
                actorId: actor.id,
                at: now,
              })),
              sql.time,
            );
            return rows;
          });
    let sittings: Sitting[];
    if (!listed) sittings = await readSittings(em, exam, { withTicket: true });
    else if (released.length < pending!.length)
      sittings = await readSittings(em, exam, { ids: listed.map((s) => s.id) }); // some were released meanwhile, at their own time
    else {
      for (const sitting of listed) sitting.questionsReleasedAt ??= now;
      sittings = listed;
    }
    // this instance's pushes take the sittings just read (plain, read-only) rather than read them again
    this.events.questionsReleased(
      exam.id,
      released.map((row) => ({ examId: exam.id, sittingId: row.id, studentId: row.student_id })),
      readAlready(em, sittings),
    );
    return sittings;
  }

  /** R5.2, R5.3: the questions once released (recording the first view), else the wait message. */
  async showQuestions(em: EntityManager, exam: Exam, sitting: Sitting, now: Date): Promise<QuestionsOutcome> {
    if (exam.format !== ExamFormat.TICKETS)
      throw new BadUserInputError('This exam is held with a task, not tickets; the task is shown on the exam page.');
    assertStarted(exam, now);
    await this.tickets.drawIfRandom(em, exam, sitting, now);
    if (!sitting.ticket)
      throw new BadUserInputError('You have no ticket yet. Choose a ticket first (or wait for staff to give you one).');
    if (!sitting.questionsReleasedAt) return { kind: 'pending' };
    if (!sitting.questionsViewedAt) {
      // conditional: the first view wins, later ones keep its time
      const first = await em.nativeUpdate(
        Sitting,
        { id: sitting.id, questionsViewedAt: null },
        { questionsViewedAt: now, updatedAt: now },
      );
      await em.refresh(sitting);
      if (first) {
        recordEvent(em, sitting, SittingEventKind.QUESTIONS_VIEWED, sitting.student, now);
        await em.flush();
        this.publish(sitting);
      }
    }
    const ticket = await em.populate(sitting, ['ticket']).then((s) => s.ticket!);
    const files = await em.find(StoredFile, { ticket: ticket.id }, { orderBy: { createdAt: 'asc' } });
    return {
      kind: 'shown',
      ticketNumber: ticket.number,
      questions: ticket.questions,
      files,
      viewedAt: sitting.questionsViewedAt!,
    };
  }

  /** Extra time for one student (e.g. after a technical failure); null takes it back. */
  async setExtraTime(
    em: EntityManager,
    exam: Exam,
    studentId: string,
    endsAt: Date | null,
    actor: User,
    now: Date,
  ): Promise<Sitting> {
    const sitting = await em.findOne(Sitting, { exam: exam.id, student: studentId });
    if (!sitting) throw new NotFoundError('That student is not enrolled at this exam.');
    if (!extraTimeValid(exam.endsAt, endsAt)) {
      throw new BadUserInputError("Extra time must end after the exam's own end time.");
    }
    sitting.endsAtOverride = endsAt;
    recordEvent(
      em,
      sitting,
      SittingEventKind.EXTRA_TIME_GIVEN,
      actor,
      now,
      endsAt ? `until ${endsAt.toISOString()}` : 'taken back',
    );
    await em.flush();
    this.publish(sitting);
    return sitting;
  }
}
