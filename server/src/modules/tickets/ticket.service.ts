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
import { recordEvent, SittingEventKind } from '../audit/audit.service';
import { ExamFormat, TicketAssignment, type Exam } from '../exams/exam.entity';
import { assertOpen, hasEnded, hasStarted, mayChooseTicket, studentsChoose, tileOrder } from '../exams/exam-rules';
import { Sitting } from '../sittings/sitting.entity';
import { User } from '../users/user.entity';
import { adoptWritten } from '../../common/written';
import { plainRows, truth } from '../../common/plain-rows';
import { Ticket, TicketTile } from './ticket.entity';

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
   * Statements: the ticket with whether someone holds it, then for a free-looking ticket one short transaction
   * (conditional UPDATE + audit row). A student who already holds a ticket (as loaded with the sitting) or a
   * ticket already held is answered from those reads; a stale read only costs the transaction, which decides.
   */
  async chooseTicket(em: EntityManager, exam: Exam, sitting: Sitting, ticketId: string, now: Date): Promise<Sitting> {
    if (!studentsChoose(exam))
      throw new ForbiddenError(
        'At this exam tickets are not chosen by students; they are given by the system or by staff.',
      );
    assertOpen(exam, sitting, now);
    if (sitting.ticket) throw alreadyChosen(sitting, sitting.student);
    const found = await this.ticketWithHolder(em, exam.id, ticketId);
    if (!found)
      throw new NotFoundError("That ticket is not one of this exam's tickets. Reload the board and pick a tile.");
    if (found.held) throw ticketTaken();
    await this.take(em, sitting, found.ticket, sitting.student, SittingEventKind.TICKET_CHOSEN, now);
    return sitting;
  }

  /** The exam's ticket (a managed entity) and whether a sitting holds it, in one statement. */
  private async ticketWithHolder(
    em: EntityManager,
    examId: string,
    ticketId: string,
  ): Promise<{ ticket: Ticket; held: boolean } | null> {
    const [row] = await em
      .getConnection()
      .execute<Record<string, unknown>[]>(
        'select t.*, exists (select 1 from sittings s where s.ticket_id = t.id) as held from tickets t where t.id = ? and t.exam_id = ?',
        [ticketId, examId],
      );
    if (!row) return null;
    const { held, ...columns } = row;
    return { ticket: em.map(Ticket, columns), held: held === true || Number(held) === 1 }; // SQLite answers 1, PostgreSQL true
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

  /**
   * The one place a ticket is taken: a conditional UPDATE (only a sitting without a ticket; the unique index
   * refuses a second holder) and its audit row, in one short transaction; the managed sitting then takes the
   * written values without a re-read. Events go out after the commit.
   */
  private async take(
    em: EntityManager,
    sitting: Sitting,
    ticket: Ticket,
    actor: User,
    kind: SittingEventKind,
    now: Date,
    detail?: string,
  ) {
    const written = { ticket, ticketChosenAt: now, updatedAt: now };
    try {
      await em.transactional(async (tx) => {
        const updated = await tx.nativeUpdate(
          Sitting,
          { id: sitting.id, ticket: null },
          { ticket: ticket.id, ticketChosenAt: now, updatedAt: now },
        );
        if (updated === 0) throw alreadyChosen(sitting, actor);
        recordEvent(
          tx,
          tx.getReference(Sitting, sitting.id),
          kind,
          tx.getReference(User, actor.id),
          now,
          detail ?? (ticket.number ? `ticket ${ticket.number}` : undefined),
        );
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw ticketTaken();
      throw error;
    }
    adoptWritten(em, sitting, written);
    this.events.ticketBoardChanged(sitting.exam.id);
    this.events.sittingChanged({ examId: sitting.exam.id, sittingId: sitting.id, studentId: sitting.student.id });
  }
}

function ticketTaken(): TicketTakenError {
  return new TicketTakenError('Someone has just taken this ticket. Please choose another free (green) tile.');
}

function alreadyChosen(sitting: Sitting, actor: User): TicketAlreadyChosenError {
  return new TicketAlreadyChosenError(
    actor.id === sitting.student.id
      ? 'You already have a ticket; a ticket is chosen once and cannot be changed.'
      : 'This student already holds a ticket; a ticket is given once and cannot be changed.',
  );
}
