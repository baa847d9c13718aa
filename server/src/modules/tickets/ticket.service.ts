import type { EntityManager } from '@mikro-orm/core';
import {
  BadUserInputError,
  ForbiddenError,
  NoFreeTicketsError,
  NotFoundError,
  TicketAlreadyChosenError,
  TicketTakenError,
  isUniqueViolation,
} from '../../common/errors';
import type { ExamEvents } from '../../common/events';
import { insertEvent, SittingEventKind } from '../audit/audit.service';
import { ExamFormat, TicketAssignment, type Exam } from '../exams/exam.entity';
import { readStudentExam } from '../exams/exam-page.read';
import { assertOpen, hasEnded, hasStarted, mayChooseTicket, studentsChoose, tileOrder } from '../exams/exam-rules';
import { Sitting } from '../sittings/sitting.entity';
import { User } from '../users/user.entity';
import { adoptWritten } from '../../common/written';
import { plainRows, plainSql, truth, type PlainSql } from '../../common/plain-sql';
import { examNotFound } from '../../policy/exam.policy';
import { Ticket, TicketTile } from './ticket.entity';

/** an operation's database: its EntityManager (forked when first used, in a request's context) and plain SQL without it */
type OperationDatabase = { em: EntityManager; sql?: PlainSql };

export class TicketService {
  constructor(private readonly events: ExamEvents) {}

  async addTicket(em: EntityManager, exam: Exam, number: number, questions: string): Promise<Ticket> {
    if (exam.format !== ExamFormat.TICKETS)
      throw new BadUserInputError('This exam is held with a task, not tickets; change its format first.');
    this.validate(number, questions);
    const ticket = em.create(Ticket, { exam, number, questions });
    try {
      await em.flush();
    } catch (error) {
      if (isUniqueViolation(error))
        throw new BadUserInputError(`Ticket number ${number} already exists at this exam; pick another number.`);
      throw error;
    }
    this.events.ticketBoardChanged(exam.id);
    return ticket;
  }

  async updateTicket(em: EntityManager, ticket: Ticket, number: number, questions: string): Promise<Ticket> {
    this.validate(number, questions);
    if (ticket.number !== number && (await em.count(Ticket, { exam: ticket.exam, number, id: { $ne: ticket.id } }))) {
      throw new BadUserInputError(`Ticket number ${number} already exists at this exam; pick another number.`);
    }
    ticket.number = number;
    ticket.questions = questions;
    await em.flush();
    return ticket;
  }

  async removeTicket(em: EntityManager, ticket: Ticket): Promise<void> {
    if (await em.count(Sitting, { ticket })) {
      throw new BadUserInputError(`Ticket ${ticket.number} is already held by a student and cannot be removed.`);
    }
    const examId = ticket.exam.id;
    em.remove(ticket);
    await em.flush();
    this.events.ticketBoardChanged(examId);
  }

  private validate(number: number, questions: string) {
    if (!Number.isInteger(number) || number < 1 || number > 100_000)
      throw new BadUserInputError('A ticket number is a whole number from 1 up.');
    if (!questions.trim()) throw new BadUserInputError('A ticket needs its questions; the text is empty.');
    if (questions.length > 50_000)
      throw new BadUserInputError('The questions are longer than 50 000 characters; shorten them or attach a file.');
  }

  /** R4.1, R4.2: tiles without numbers, in a stable per-student order, while the student may still choose. */
  async board(em: EntityManager, exam: Exam, sitting: Sitting, now: Date): Promise<TicketTile[] | null> {
    if (!mayChooseTicket(exam, sitting, now)) return null;
    const tiles = await this.tiles(em, exam.id);
    if (tiles.length === 0) return null;
    return Array.from(
      tileOrder(
        sitting.student.id,
        tiles.map((t) => t.id),
      ),
      (i) => tiles[i],
    );
  }

  /** All of an exam's tiles, taken or free, in one statement of plain rows (a partial Ticket in the identity map would hide its number later). */
  async tiles(em: EntityManager, examId: string): Promise<TicketTile[]> {
    const rows = await plainRows<{ id: string; taken: unknown }>(
      em,
      'select t.id, s.id is not null as taken from tickets t left join sittings s on s.ticket_id = t.id where t.exam_id = ? order by t.number',
      [examId],
    );
    return rows.map((t) => Object.assign(new TicketTile(), { id: t.id, taken: truth(t.taken) }));
  }

  /**
   * R4.3: one ticket per student, one student per ticket — decided by the database, not by a read.
   * The hot path of the ticket race, in plain SQL (common/plain-sql.ts): one statement reads the student's sitting,
   * the exam's rules and the ticket with whether someone holds it, which answers every refusal; a free-looking
   * ticket then costs one short transaction (conditional UPDATE + audit row), and only a success loads the sitting
   * (with what the page shows of it) as an entity. A stale read only costs the transaction, which decides.
   */
  async chooseTicket(
    db: OperationDatabase,
    student: User,
    examId: string,
    ticketId: string,
    now: Date,
  ): Promise<Sitting> {
    // `db.em` is not touched before the choice is written: a refused attempt forks no EntityManager (request-context.ts)
    const sql = db.sql ?? plainSql(db.em);
    const [row] = await sql.rows<ChoiceRow>(CHOICE, [ticketId, examId, student.id]);
    if (!row) throw examNotFound();
    const exam = {
      format: row.format,
      ticketAssignment: row.ticket_assignment,
      startsAt: sql.date(row.starts_at)!,
      endsAt: sql.date(row.ends_at)!,
    };
    if (!studentsChoose(exam))
      throw new ForbiddenError(
        'At this exam tickets are not chosen by students; they are given by the system or by staff.',
      );
    assertOpen(exam, { endsAtOverride: sql.date(row.ends_at_override) }, now);
    if (row.holds_ticket_id) throw alreadyChosen(true);
    if (!row.ticket_id)
      throw new NotFoundError("That ticket is not one of this exam's tickets. Reload the board and pick a tile.");
    if (sql.flag(row.held)) throw ticketTaken();
    const ticket = { id: row.ticket_id, number: row.ticket_number };
    await this.write(sql, row.sitting_id, ticket, student.id, true, SittingEventKind.TICKET_CHOSEN, now);
    this.published(examId, row.sitting_id, student.id);
    const em = db.em;
    const managed = em.getUnitOfWork().getById<Sitting>(Sitting.name, row.sitting_id);
    if (managed) {
      adoptWritten(em, managed, { ticket: em.getReference(Ticket, ticket.id), ticketChosenAt: now, updatedAt: now });
      return managed;
    }
    // read after the commit as the exam page reads it: one prepared statement of plain rows, no entity hydrated
    const page = await readStudentExam(em, examId, student);
    if (!page) throw examNotFound(); // the sitting was removed meanwhile
    return page.sitting;
  }

  /** TicketAssignment.STAFF: staff give a ticket to a student. */
  async assignTicket(
    em: EntityManager,
    exam: Exam,
    studentId: string,
    ticketId: string,
    actor: User,
    now: Date,
  ): Promise<Sitting> {
    if (exam.format !== ExamFormat.TICKETS)
      throw new BadUserInputError('This exam is held with a task; there are no tickets to assign.');
    const sitting = await em.findOne(Sitting, { exam: exam.id, student: studentId });
    if (!sitting) throw new NotFoundError('That student is not enrolled at this exam.');
    const ticket = await em.findOne(Ticket, { id: ticketId, exam: exam.id });
    if (!ticket) throw new NotFoundError("That ticket is not one of this exam's tickets.");
    await this.take(em, sitting, ticket, actor, SittingEventKind.TICKET_ASSIGNED, now);
    return sitting;
  }

  /** RANDOM mode: once the exam is open, a student entering without a ticket gets a free one drawn by the server. */
  async drawIfRandom(em: EntityManager, exam: Exam, sitting: Sitting, now: Date): Promise<void> {
    if (exam.format !== ExamFormat.TICKETS || exam.ticketAssignment !== TicketAssignment.RANDOM) return;
    if (sitting.ticket || !hasStarted(exam, now) || hasEnded(exam, sitting, now)) return;
    for (let attempt = 0; attempt < 20; attempt++) {
      const pick = await this.randomFreeTicket(em, exam.id);
      if (!pick)
        throw new NoFreeTicketsError('Every ticket of this exam is taken. Tell the staff so they can add a ticket.');
      try {
        await this.take(
          em,
          sitting,
          em.getReference(Ticket, pick),
          sitting.student,
          SittingEventKind.TICKET_ASSIGNED,
          now,
          'drawn at random',
        );
        return;
      } catch (error) {
        if (error instanceof TicketTakenError) continue; // another student drew it first; draw again
        if (error instanceof TicketAlreadyChosenError) {
          // a parallel request of this student drew one already: show that one, not the stale "no ticket"
          await em.refresh(sitting);
          return;
        }
        throw error;
      }
    }
    throw new NoFreeTicketsError('No free ticket could be drawn; please try again in a moment.');
  }

  /** One free ticket of the exam picked at random by the database, in one statement whatever the number of tickets. */
  private async randomFreeTicket(em: EntityManager, examId: string): Promise<string | null> {
    const rows = await em
      .getConnection()
      .execute<{ id: string }[]>(
        'select t.id from tickets t where t.exam_id = ? and not exists (select 1 from sittings s where s.ticket_id = t.id) order by random() limit 1',
        [examId],
      );
    return rows[0]?.id ?? null;
  }

  /** A ticket given to a managed sitting (by staff or drawn): written, then the entity takes the written values. */
  private async take(
    em: EntityManager,
    sitting: Sitting,
    ticket: Ticket,
    actor: User,
    kind: SittingEventKind,
    now: Date,
    detail?: string,
  ) {
    await this.write(plainSql(em), sitting.id, ticket, actor.id, actor.id === sitting.student.id, kind, now, detail);
    adoptWritten(em, sitting, { ticket, ticketChosenAt: now, updatedAt: now });
    this.published(sitting.exam.id, sitting.id, sitting.student.id);
  }

  /**
   * The one place a ticket is taken: a conditional UPDATE (only a sitting without a ticket; the unique index
   * refuses a second holder) and its audit row, in one short plain-SQL transaction. Events go out after the commit.
   */
  private async write(
    sql: PlainSql,
    sittingId: string,
    ticket: Pick<Ticket, 'id' | 'number'>,
    actorId: string,
    byStudent: boolean,
    kind: SittingEventKind,
    now: Date,
    detail?: string,
  ): Promise<void> {
    const at = sql.time(now);
    try {
      await sql.transaction(async (tx) => {
        const updated = await tx.run(TAKE, [ticket.id, at, at, sittingId]);
        if (updated === 0) throw alreadyChosen(byStudent);
        await insertEvent(
          tx,
          sittingId,
          kind,
          actorId,
          at,
          detail ?? (ticket.number ? `ticket ${ticket.number}` : null),
        );
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw ticketTaken();
      throw error;
    }
  }

  private published(examId: string, sittingId: string, studentId: string): void {
    // the sitting first: a board viewer decides at the board's delivery whether it is shown, and the chooser is not
    this.events.sittingChanged({ examId, sittingId, studentId });
    this.events.ticketBoardChanged(examId);
  }
}

/** chooseTicket's one read: the student's sitting, the exam's rules, the ticket (if it is this exam's) and whether anyone holds it */
const CHOICE = `select s.id as sitting_id, s.ticket_id as holds_ticket_id, s.ends_at_override,
  e.starts_at, e.ends_at, e.format, e.ticket_assignment, t.id as ticket_id, t.number as ticket_number,
  case when exists (select 1 from sittings h where h.ticket_id = t.id) then 1 else 0 end as held
  from sittings s join exams e on e.id = s.exam_id left join tickets t on t.id = ? and t.exam_id = s.exam_id
  where s.exam_id = ? and s.student_id = ?`;
interface ChoiceRow {
  sitting_id: string;
  holds_ticket_id: string | null;
  ends_at_override: unknown;
  starts_at: unknown;
  ends_at: unknown;
  format: ExamFormat;
  ticket_assignment: TicketAssignment | null;
  ticket_id: string | null;
  ticket_number: number;
  held: unknown;
}
const TAKE =
  'update sittings set ticket_id = ?, ticket_chosen_at = ?, updated_at = ? where id = ? and ticket_id is null';

function ticketTaken(): TicketTakenError {
  return new TicketTakenError('Someone has just taken this ticket. Please choose another free (green) tile.');
}

function alreadyChosen(byStudent: boolean): TicketAlreadyChosenError {
  return new TicketAlreadyChosenError(
    byStudent
      ? 'You already have a ticket; a ticket is chosen once and cannot be changed.'
      : 'This student already holds a ticket; a ticket is given once and cannot be changed.',
  );
}
