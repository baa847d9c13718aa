import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { requireRole, requireUser } from '../../common/auth';
import { ForbiddenError, NotFoundError, withErrorCodes } from '../../common/errors';
import { loadersOf } from '../../loaders';
import { managedExam } from '../exams/exam-access';
import { canSeeEveryTicket, canSeeTicketNumber } from '../../policy/ticket.policy';
import { Exam } from '../exams/exam.entity';
import { assertChangeConfirmed, CONFIRM_STARTED } from '../exams/exam-rules';
import { FileRef } from '../files/file-ref.type';
import { Sitting } from '../sittings/sitting.entity';
import { examOf } from '../sittings/sitting-relations';
import { Role, User } from '../users/user.entity';
import { Ticket, TicketTile } from './ticket.entity';
import { relatedNow, thenMaybe, type Maybe } from '../../common/loaded';
import { holderAsSeen } from '../blind/blind-view';

const TICKET_NUMBER = "The ticket's number: a whole number from 1, unique within the exam.";
const TICKET_QUESTIONS = 'The questions, plain text up to 50 000 characters (longer material goes in a file).';

/** An exam's tickets: the board a student chooses from, the full list for staff, and staff's changes to it. */
@Resolver(() => Exam)
export class ExamTicketsResolver {
  @FieldResolver(() => [TicketTile], {
    nullable: true,
    description:
      'The tiles, in an order of their own, while the calling student may still choose a ticket; else null (R4.1, R4.2).',
  })
  async ticketBoard(@Root() exam: Exam, @Ctx() ctx: Context): Promise<TicketTile[] | null> {
    if (ctx.user?.role !== Role.STUDENT) return null;
    const sitting = await loadersOf(ctx).ownSitting.load(exam.id);
    return sitting ? ctx.services.tickets.board(ctx.em, exam, sitting, ctx.services.now()) : null;
  }

  @FieldResolver(() => [Ticket], {
    description: withErrorCodes(
      "Every ticket by number with its questions; staff and the exam's teacher only.",
      'FORBIDDEN',
    ),
  })
  async tickets(@Root() exam: Exam, @Ctx() ctx: Context): Promise<Ticket[]> {
    if (!canSeeEveryTicket(requireUser(ctx), exam))
      throw new ForbiddenError("Only staff and the exam's teacher see every sitting and ticket.");
    return ctx.em.find(Ticket, { exam: exam.id }, { orderBy: { number: 'asc' } });
  }

  @Authorized(Role.STAFF)
  @Mutation(() => Ticket, {
    description: withErrorCodes(
      'Staff: adds a ticket to a TICKETS exam (its files are uploaded to /files/tickets/:ticketId).',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'BAD_USER_INPUT',
    ),
  })
  async addTicket(
    @Ctx() ctx: Context,
    @Arg('examId', () => ID, { description: 'The exam (Exam.id).' }) examId: string,
    @Arg('number', () => Int, { description: TICKET_NUMBER }) number: number,
    @Arg('questions', { description: TICKET_QUESTIONS }) questions: string,
  ): Promise<Ticket> {
    return ctx.services.tickets.addTicket(ctx.em, await managedExam(ctx, examId), number, questions);
  }

  @Authorized(Role.STAFF)
  @Mutation(() => Ticket, {
    description: withErrorCodes(
      "Staff: changes a ticket's number and questions. After the exam's start it needs confirmStarted: true.",
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'BAD_USER_INPUT',
      'CONFIRMATION_REQUIRED',
    ),
  })
  async updateTicket(
    @Ctx() ctx: Context,
    @Arg('ticketId', () => ID, { description: 'The ticket (Ticket.id).' }) ticketId: string,
    @Arg('number', () => Int, { description: TICKET_NUMBER }) number: number,
    @Arg('questions', { description: TICKET_QUESTIONS }) questions: string,
    @Arg('confirmStarted', { defaultValue: false, description: CONFIRM_STARTED })
    confirmStarted: boolean,
  ): Promise<Ticket> {
    return ctx.services.tickets.updateTicket(
      ctx.em,
      await staffTicket(ctx, ticketId, confirmStarted),
      number,
      questions,
    );
  }

  @Authorized(Role.STAFF)
  @Mutation(() => Boolean, {
    description: withErrorCodes(
      "Staff: removes a ticket no student holds; true when done. After the exam's start it needs confirmStarted: true.",
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'BAD_USER_INPUT',
      'CONFIRMATION_REQUIRED',
    ),
  })
  async removeTicket(
    @Ctx() ctx: Context,
    @Arg('ticketId', () => ID, { description: 'The ticket (Ticket.id).' }) ticketId: string,
    @Arg('confirmStarted', { defaultValue: false, description: CONFIRM_STARTED })
    confirmStarted: boolean,
  ): Promise<boolean> {
    await ctx.services.tickets.removeTicket(ctx.em, await staffTicket(ctx, ticketId, confirmStarted));
    return true;
  }

  @Authorized(Role.STAFF)
  @Mutation(() => Sitting, {
    description: withErrorCodes(
      'Staff: gives a student a ticket (how a STAFF exam hands them out).',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'BAD_USER_INPUT',
      'TICKET_TAKEN',
      'TICKET_ALREADY_CHOSEN',
    ),
  })
  async assignTicket(
    @Ctx() ctx: Context,
    @Arg('examId', () => ID, { description: 'The exam (Exam.id).' }) examId: string,
    @Arg('studentId', () => ID, { description: 'The enrolled student (User.id).' }) studentId: string,
    @Arg('ticketId', () => ID, { description: 'A free ticket of the exam (Ticket.id).' }) ticketId: string,
  ): Promise<Sitting> {
    return ctx.services.tickets.assignTicket(
      ctx.em,
      await managedExam(ctx, examId),
      studentId,
      ticketId,
      requireUser(ctx),
      ctx.services.now(),
    );
  }
}

/** a ticket of an exam the caller manages; changing it in a running exam needs confirmation */
async function staffTicket(ctx: Context, ticketId: string, confirmStarted: boolean): Promise<Ticket> {
  const ticket = await ctx.em.findOne(Ticket, { id: ticketId });
  if (!ticket) throw new NotFoundError('There is no such ticket; it may have been removed.');
  const exam = await managedExam(ctx, ticket.exam.id);
  assertChangeConfirmed(exam, ctx.services.now(), confirmStarted);
  return ticket;
}

/** A sitting's ticket: the student's choice, and its number once it may be shown. */
@Resolver(() => Sitting)
export class SittingTicketResolver {
  @Authorized(Role.STUDENT)
  @Mutation(() => Sitting, {
    description: withErrorCodes(
      'The calling student takes a free ticket from the board: STUDENT_CHOICE exams only, one ticket, once, while the exam is open (R4.3).',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'EXAM_NOT_STARTED',
      'EXAM_ENDED',
      'TICKET_TAKEN',
      'TICKET_ALREADY_CHOSEN',
    ),
  })
  async chooseTicket(
    @Ctx() ctx: Context,
    @Arg('examId', () => ID, { description: 'The exam (Exam.id).' }) examId: string,
    @Arg('ticketId', () => ID, { description: 'A tile of the board (TicketTile.id).' }) ticketId: string,
  ): Promise<Sitting> {
    return ctx.services.tickets.chooseTicket(ctx, requireRole(ctx, Role.STUDENT), examId, ticketId, ctx.services.now());
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: "The ticket's number; null without a ticket, and for the student until the exam has started (R2.3).",
  })
  ticketNumber(@Root() sitting: Sitting, @Ctx() ctx: Context): Maybe<number | null> {
    if (!sitting.ticket) return null;
    // without a promise when the exam and ticket are there (a release's pushes build thousands of these)
    return thenMaybe(examOf(ctx.em, sitting), (exam) => {
      if (!canSeeTicketNumber(ctx.user, exam, ctx.services.now())) return null;
      return thenMaybe(relatedNow(ctx.em, sitting, 'ticket'), (ticket) => ticket!.number);
    });
  }
}

/** Ticket objects reach staff and the exam's teacher only (Exam.tickets checks that). */
@Resolver(() => Ticket)
export class TicketResolver {
  @FieldResolver(() => [FileRef], { description: "The ticket's files, in upload order." })
  async files(@Root() ticket: Ticket, @Ctx() ctx: Context): Promise<FileRef[]> {
    const files = await loadersOf(ctx).files('ticket').load(ticket.id);
    return files.map((f) => ctx.services.files.toRef(f, ctx.session));
  }

  @FieldResolver(() => User, {
    nullable: true,
    description:
      "The student holding it; null while it is free. To a teacher while the exam is blind, the holder's stand-in (Sitting.student).",
  })
  async takenBy(@Root() ticket: Ticket, @Ctx() ctx: Context): Promise<User | null> {
    return (await holderAsSeen(ctx, ticket)) ?? loadersOf(ctx).ticketHolder.load(ticket.id);
  }
}
