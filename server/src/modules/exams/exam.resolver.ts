import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { requireUser } from '../../common/auth';
import { loadersOf } from '../../loaders';
import { related } from '../../common/loaded';
import { ForbiddenError, NotFoundError } from '../../common/errors';
import { AcademicYear, Discipline, Period } from '../calendar/calendar.entity';
import { StoredFile } from '../files/stored-file.entity';
import { Sitting } from '../sittings/sitting.entity';
import { Ticket, TicketTile } from '../tickets/ticket.entity';
import { Role, User } from '../users/user.entity';
import { managedExam, manages, visibleExam } from './exam-access';
import { Exam, ExamFormat } from './exam.entity';
import { ExamInput, PlatformInput } from './exam.inputs';
import { assertChangeConfirmed, hasStarted } from './exam-rules';
import { Platform, Recording, Task } from './exam.types';

@Resolver(() => Exam)
export class ExamResolver {
  // ---- queries -------------------------------------------------------------

  @Authorized()
  @Query(() => [Exam], { description: 'R1.2, R1.3: the calling student\'s online exams, filtered' })
  myExams(
    @Ctx() ctx: Context,
    @Arg('academicYearId', () => ID) academicYearId: string,
    @Arg('periodId', () => ID, { nullable: true }) periodId?: string,
  ): Promise<Exam[]> {
    const user = requireUser(ctx);
    return ctx.em.find(Exam, {
      sittings: { student: user.id },
      period: periodId ? { id: periodId, academicYear: academicYearId } : { academicYear: academicYearId },
    }, { orderBy: { startsAt: 'asc' }, populate: ['period.academicYear', 'discipline', 'teacher'] });
  }

  @Authorized(Role.STAFF, Role.TEACHER)
  @Query(() => [Exam], { description: 'staff: every exam of a period; teacher: their own' })
  exams(@Ctx() ctx: Context, @Arg('periodId', () => ID) periodId: string): Promise<Exam[]> {
    const user = requireUser(ctx);
    return ctx.em.find(Exam, user.role === Role.STAFF ? { period: periodId } : { period: periodId, teacher: user.id },
      { orderBy: { startsAt: 'asc' }, populate: ['period.academicYear', 'discipline', 'teacher'] });
  }

  @Authorized()
  @Query(() => Exam, { nullable: true })
  exam(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<Exam> {
    return visibleExam(ctx, id);
  }

  // ---- fields: what each role may see, and when ------------------------------

  @FieldResolver(() => AcademicYear)
  async academicYear(@Root() exam: Exam, @Ctx() ctx: Context): Promise<AcademicYear> {
    return related(ctx.em, await related(ctx.em, exam, 'period'), 'academicYear');
  }

  @FieldResolver(() => Period)
  period(@Root() exam: Exam, @Ctx() ctx: Context): Promise<Period> {
    return related(ctx.em, exam, 'period');
  }

  @FieldResolver(() => Discipline)
  discipline(@Root() exam: Exam, @Ctx() ctx: Context): Promise<Discipline> {
    return related(ctx.em, exam, 'discipline');
  }

  @FieldResolver(() => User)
  teacher(@Root() exam: Exam, @Ctx() ctx: Context): Promise<User> {
    return related(ctx.em, exam, 'teacher');
  }

  @FieldResolver(() => Task, { nullable: true, description: 'R2.4, R6.1: null for students before startsAt, and when format is TICKETS' })
  async task(@Root() exam: Exam, @Ctx() ctx: Context): Promise<Task | null> {
    if (exam.format !== ExamFormat.TASK) return null;
    if (!manages(ctx.user, exam) && !hasStarted(exam, ctx.services.now())) return null;
    const files = await loadersOf(ctx).files('taskExam').load(exam.id);
    return { text: exam.taskText ?? '', files: files.map((f) => ctx.services.files.toRef(f, ctx.session)) };
  }

  @FieldResolver(() => Platform, { nullable: true, description: 'R2.6' })
  platform(@Root() exam: Exam): Platform | null {
    if (!exam.platformUrl) return null;
    return { name: exam.platformName ?? '', url: exam.platformUrl, login: exam.platformLogin, password: exam.platformPassword };
  }

  @FieldResolver(() => Recording, { nullable: true, description: 'R8.1: for students, null unless visibleToStudents' })
  recording(@Root() exam: Exam, @Ctx() ctx: Context): Recording | null {
    if (!exam.recordingUrl) return null;
    if (!exam.recordingVisible && !manages(ctx.user, exam)) return null;
    return { url: exam.recordingUrl, visibleToStudents: exam.recordingVisible };
  }

  @FieldResolver(() => Sitting, { nullable: true, description: 'the calling student\'s own sitting (null for others)' })
  async mySitting(@Root() exam: Exam, @Ctx() ctx: Context): Promise<Sitting | null> {
    if (ctx.user?.role !== Role.STUDENT) return null;
    return loadersOf(ctx).ownSitting.load(exam.id);
  }

  @FieldResolver(() => [TicketTile], { nullable: true, description: 'R4.1, R4.2: the tiles while the calling student may still choose, else null' })
  async ticketBoard(@Root() exam: Exam, @Ctx() ctx: Context): Promise<TicketTile[] | null> {
    if (ctx.user?.role !== Role.STUDENT) return null;
    const sitting = await loadersOf(ctx).ownSitting.load(exam.id);
    return sitting ? ctx.services.tickets.board(ctx.em, exam, sitting, ctx.services.now()) : null;
  }

  @FieldResolver(() => [Sitting], { description: 'staff and the exam\'s teacher: everyone\'s sittings' })
  async sittings(@Root() exam: Exam, @Ctx() ctx: Context): Promise<Sitting[]> {
    this.assertManages(ctx, exam);
    return loadersOf(ctx).sittingsOfExam.load(exam.id);
  }

  @FieldResolver(() => [Ticket], { description: 'staff: all tickets with numbers and questions' })
  async tickets(@Root() exam: Exam, @Ctx() ctx: Context): Promise<Ticket[]> {
    this.assertManages(ctx, exam);
    return ctx.em.find(Ticket, { exam: exam.id }, { orderBy: { number: 'asc' } });
  }

  private assertManages(ctx: Context, exam: Exam) {
    if (!manages(requireUser(ctx), exam)) throw new ForbiddenError('Only staff and the exam\'s teacher see every sitting and ticket.');
  }

  // ---- staff ------------------------------------------------------------------

  @Authorized(Role.STAFF)
  @Mutation(() => Exam)
  createExam(@Ctx() ctx: Context, @Arg('input', () => ExamInput) input: ExamInput): Promise<Exam> {
    return ctx.services.exams.create(ctx.em, input);
  }

  @Authorized(Role.STAFF)
  @Mutation(() => Exam)
  async updateExam(
    @Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('input', () => ExamInput) input: ExamInput,
    @Arg('confirmStarted', { defaultValue: false, description: 'needed once the exam has started' }) confirmStarted: boolean,
  ): Promise<Exam> {
    const exam = await managedExam(ctx, id);
    assertChangeConfirmed(exam, ctx.services.now(), confirmStarted);
    return ctx.services.exams.update(ctx.em, exam, input);
  }

  @Authorized(Role.STAFF)
  @Mutation(() => Ticket)
  async addTicket(
    @Ctx() ctx: Context, @Arg('examId', () => ID) examId: string,
    @Arg('number', () => Int) number: number, @Arg('questions') questions: string,
  ): Promise<Ticket> {
    return ctx.services.tickets.addTicket(ctx.em, await managedExam(ctx, examId), number, questions);
  }

  @Authorized(Role.STAFF)
  @Mutation(() => Ticket)
  async updateTicket(
    @Ctx() ctx: Context, @Arg('ticketId', () => ID) ticketId: string,
    @Arg('number', () => Int) number: number, @Arg('questions') questions: string,
    @Arg('confirmStarted', { defaultValue: false, description: 'needed once the exam has started' }) confirmStarted: boolean,
  ): Promise<Ticket> {
    return ctx.services.tickets.updateTicket(ctx.em, await this.staffTicket(ctx, ticketId, confirmStarted), number, questions);
  }

  @Authorized(Role.STAFF)
  @Mutation(() => Boolean)
  async removeTicket(
    @Ctx() ctx: Context, @Arg('ticketId', () => ID) ticketId: string,
    @Arg('confirmStarted', { defaultValue: false, description: 'needed once the exam has started' }) confirmStarted: boolean,
  ): Promise<boolean> {
    await ctx.services.tickets.removeTicket(ctx.em, await this.staffTicket(ctx, ticketId, confirmStarted));
    return true;
  }

  /** a ticket of an exam the caller manages; changing it in a running exam needs confirmation */
  private async staffTicket(ctx: Context, ticketId: string, confirmStarted: boolean): Promise<Ticket> {
    const ticket = await ctx.em.findOne(Ticket, { id: ticketId });
    if (!ticket) throw new NotFoundError('There is no such ticket; it may have been removed.');
    const exam = await managedExam(ctx, ticket.exam.id);
    assertChangeConfirmed(exam, ctx.services.now(), confirmStarted);
    return ticket;
  }

  @Authorized(Role.STAFF)
  @Mutation(() => Boolean, { description: 'removes a file of a ticket or of a task' })
  async removeExamFile(
    @Ctx() ctx: Context, @Arg('fileId', () => ID) fileId: string,
    @Arg('confirmStarted', { defaultValue: false, description: 'needed once the exam has started' }) confirmStarted: boolean,
  ): Promise<boolean> {
    const file = await ctx.em.findOne(StoredFile, { id: fileId }, { populate: ['ticket'] });
    const examId = file?.ticket?.exam.id ?? file?.taskExam?.id;
    if (!file || !examId) throw new NotFoundError('There is no such ticket or task file; it may have been removed.');
    assertChangeConfirmed(await managedExam(ctx, examId), ctx.services.now(), confirmStarted);
    await ctx.services.files.removeOwned(ctx.em, file);
    return true;
  }

  @Authorized(Role.STAFF)
  @Mutation(() => Sitting, { description: 'TicketAssignment.STAFF' })
  async assignTicket(
    @Ctx() ctx: Context, @Arg('examId', () => ID) examId: string,
    @Arg('studentId', () => ID) studentId: string, @Arg('ticketId', () => ID) ticketId: string,
  ): Promise<Sitting> {
    return ctx.services.tickets.assignTicket(ctx.em, await managedExam(ctx, examId), studentId, ticketId, requireUser(ctx), ctx.services.now());
  }

  @Authorized(Role.STAFF)
  @Mutation(() => [Sitting], { description: 'R5.3: to the listed students, or to every student holding a ticket when studentIds is omitted' })
  async releaseQuestions(
    @Ctx() ctx: Context, @Arg('examId', () => ID) examId: string,
    @Arg('studentIds', () => [ID], { nullable: true }) studentIds?: string[] | null,
  ): Promise<Sitting[]> {
    return ctx.services.sittings.releaseQuestions(ctx.em, await managedExam(ctx, examId), studentIds, requireUser(ctx), ctx.services.now());
  }

  @Authorized(Role.STAFF)
  @Mutation(() => Exam, { description: 'R2.6, R3.1: null removes the platform' })
  async setPlatform(
    @Ctx() ctx: Context, @Arg('examId', () => ID) examId: string,
    @Arg('platform', () => PlatformInput, { nullable: true }) platform?: PlatformInput | null,
  ): Promise<Exam> {
    return ctx.services.exams.setPlatform(ctx.em, await managedExam(ctx, examId), platform);
  }

  @Authorized(Role.STAFF)
  @Mutation(() => Exam, { description: 'R8.1: null url removes the recording' })
  async setRecording(
    @Ctx() ctx: Context, @Arg('examId', () => ID) examId: string,
    @Arg('url', () => String, { nullable: true }) url: string | null | undefined,
    @Arg('visibleToStudents') visibleToStudents: boolean,
  ): Promise<Exam> {
    return ctx.services.exams.setRecording(ctx.em, await managedExam(ctx, examId), url, visibleToStudents);
  }

  @Authorized(Role.STAFF)
  @Mutation(() => Sitting, { description: 'a later end for one student (e.g. after a technical failure); null takes it back' })
  async setExtraTime(
    @Ctx() ctx: Context, @Arg('examId', () => ID) examId: string, @Arg('studentId', () => ID) studentId: string,
    @Arg('endsAt', () => Date, { nullable: true }) endsAt?: Date | null,
  ): Promise<Sitting> {
    return ctx.services.sittings.setExtraTime(ctx.em, await managedExam(ctx, examId), studentId, endsAt ?? null, requireUser(ctx), ctx.services.now());
  }
}
