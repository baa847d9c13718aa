import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { requireRole, requireUser } from '../../common/auth';
import { ForbiddenError, NotFoundError } from '../../common/errors';
import { loadersOf } from '../../loaders';
import { managedExam } from '../exams/exam-access';
import { canSeeEveryTicket, canSeeTicketNumber } from '../../policy/ticket.policy';
import { Exam } from '../exams/exam.entity';
import { assertChangeConfirmed } from '../exams/exam-rules';
import { FileRef } from '../files/file-ref.type';
import { Sitting } from '../sittings/sitting.entity';
import { examOf } from '../sittings/sitting-relations';
import { Role, User } from '../users/user.entity';
import { Ticket, TicketTile } from './ticket.entity';
import { related } from '../../common/loaded';
import { holderAsSeen } from '../blind/blind-view';

/** An exam's tickets: the board a student chooses from, the full list for staff, and staff's changes to it. */
@Resolver(() => Exam)
export class ExamTicketsResolver {
  @FieldResolver(() => [TicketTile], {
    nullable: true,
    description: 'R4.1, R4.2: the tiles while the calling student may still choose, else null',
  })
  async ticketBoard(@Root() exam: Exam, @Ctx() ctx: Context): Promise<TicketTile[] | null> {
    if (ctx.user?.role !== Role.STUDENT) return null;
    const sitting = await loadersOf(ctx).ownSitting.load(exam.id);
    return sitting ? ctx.services.tickets.board(ctx.em, exam, sitting, ctx.services.now()) : null;
  }

  @FieldResolver(() => [Ticket], { description: 'staff: all tickets with numbers and questions' })
  async tickets(@Root() exam: Exam, @Ctx() ctx: Context): Promise<Ticket[]> {
    if (!canSeeEveryTicket(requireUser(ctx), exam))
      throw new ForbiddenError("Only staff and the exam's teacher see every sitting and ticket.");
    return ctx.em.find(Ticket, { exam: exam.id }, { orderBy: { number: 'asc' } });
  }

  @Authorized(Role.STAFF)
  @Mutation(() => Ticket)
  async addTicket(
    @Ctx() ctx: Context,
    @Arg('examId', () => ID) examId: string,
    @Arg('number', () => Int) number: number,
    @Arg('questions') questions: string,
  ): Promise<Ticket> {
    return ctx.services.tickets.addTicket(ctx.em, await managedExam(ctx, examId), number, questions);
  }

  @Authorized(Role.STAFF)
  @Mutation(() => Ticket)
  async updateTicket(
    @Ctx() ctx: Context,
    @Arg('ticketId', () => ID) ticketId: string,
    @Arg('number', () => Int) number: number,
    @Arg('questions') questions: string,
    @Arg('confirmStarted', { defaultValue: false, description: 'needed once the exam has started' })
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
  @Mutation(() => Boolean)
  async removeTicket(
    @Ctx() ctx: Context,
    @Arg('ticketId', () => ID) ticketId: string,
    @Arg('confirmStarted', { defaultValue: false, description: 'needed once the exam has started' })
    confirmStarted: boolean,
  ): Promise<boolean> {
    await ctx.services.tickets.removeTicket(ctx.em, await staffTicket(ctx, ticketId, confirmStarted));
    return true;
  }

  @Authorized(Role.STAFF)
  @Mutation(() => Sitting, { description: 'TicketAssignment.STAFF' })
  async assignTicket(
    @Ctx() ctx: Context,
    @Arg('examId', () => ID) examId: string,
    @Arg('studentId', () => ID) studentId: string,
    @Arg('ticketId', () => ID) ticketId: string,
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
  @Mutation(() => Sitting, { description: 'R4.3: STUDENT_CHOICE only; one ticket, once' })
  async chooseTicket(
    @Ctx() ctx: Context,
    @Arg('examId', () => ID) examId: string,
    @Arg('ticketId', () => ID) ticketId: string,
  ): Promise<Sitting> {
    return ctx.services.tickets.chooseTicket(
      ctx.em,
      requireRole(ctx, Role.STUDENT),
      examId,
      ticketId,
      ctx.services.now(),
    );
  }

  @FieldResolver(() => Int, { nullable: true, description: 'R2.3: null for the student until the exam has started' })
  async ticketNumber(@Root() sitting: Sitting, @Ctx() ctx: Context): Promise<number | null> {
    if (!sitting.ticket) return null;
    const exam = await examOf(ctx.em, sitting);
    if (!canSeeTicketNumber(ctx.user, exam, ctx.services.now())) return null;
    return (await related(ctx.em, sitting, 'ticket'))!.number;
  }
}

/** Ticket objects reach staff and the exam's teacher only (Exam.tickets checks that). */
@Resolver(() => Ticket)
export class TicketResolver {
  @FieldResolver(() => [FileRef])
  async files(@Root() ticket: Ticket, @Ctx() ctx: Context): Promise<FileRef[]> {
    const files = await loadersOf(ctx).files('ticket').load(ticket.id);
    return files.map((f) => ctx.services.files.toRef(f, ctx.session));
  }

  @FieldResolver(() => User, {
    nullable: true,
    description: "who holds the ticket; to a teacher while the exam is blind, the holder's stand-in (Sitting.student)",
  })
  async takenBy(@Root() ticket: Ticket, @Ctx() ctx: Context): Promise<User | null> {
    return (await holderAsSeen(ctx, ticket)) ?? loadersOf(ctx).ticketHolder.load(ticket.id);
  }
}
