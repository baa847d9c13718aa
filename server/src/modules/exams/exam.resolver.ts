import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Page } from '../../common/connection';
import { ExamConnection, ExamsConnectionArgs } from './exam-list';
import type { Context } from '../../context';
import { requireUser } from '../../common/auth';
import { loadersOf } from '../../loaders';
import { related } from '../../common/loaded';
import { AcademicYear, Discipline, Period } from '../calendar/calendar.entity';
import { Role, User } from '../users/user.entity';
import { managedExam, visibleExam } from './exam-access';
import { Exam, ExamFormat } from './exam.entity';
import { ExamInput, PlatformInput } from './exam.inputs';
import { assertChangeConfirmed, sendsDraftsAtEnd } from './exam-rules';
import { canSeeRecording, canSeeTask } from '../../policy/exam.policy';
import { ExamDefaults, Platform, Recording, Task } from './exam.types';

/** The exam itself; its sittings, tickets and files are resolved by those modules. */
@Resolver(() => Exam)
export class ExamResolver {
  // ---- queries -------------------------------------------------------------

  @Authorized()
  @Query(() => [Exam], { description: "R1.2, R1.3: the calling student's online exams, filtered" })
  myExams(
    @Ctx() ctx: Context,
    @Arg('academicYearId', () => ID) academicYearId: string,
    @Arg('periodId', () => ID, { nullable: true }) periodId?: string,
  ): Promise<Exam[]> {
    const user = requireUser(ctx);
    return ctx.em.find(
      Exam,
      {
        sittings: { student: user.id },
        period: periodId ? { id: periodId, academicYear: academicYearId } : { academicYear: academicYearId },
      },
      { orderBy: { startsAt: 'asc' }, populate: ['period.academicYear', 'discipline', 'teacher'] },
    );
  }

  @Authorized(Role.STAFF, Role.TEACHER)
  @Query(() => [Exam], { description: 'staff: every exam of a period; teacher: their own' })
  exams(@Ctx() ctx: Context, @Arg('periodId', () => ID) periodId: string): Promise<Exam[]> {
    return ctx.services.examList.all(ctx.em, requireUser(ctx), { periodId }, ctx.services.now());
  }

  @Authorized(Role.STAFF, Role.TEACHER)
  @Query(() => ExamConnection, {
    description:
      'issue 13: exams a page at a time by start time — staff every exam, a teacher their own — filtered and searched (API clients: exams:read)',
  })
  examsConnection(
    @Ctx() ctx: Context,
    @Args(() => ExamsConnectionArgs) args: ExamsConnectionArgs,
  ): Promise<Page<Exam>> {
    return ctx.services.examList.page(ctx.em, requireUser(ctx), args, ctx.services.now());
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

  @FieldResolver(() => Task, {
    nullable: true,
    description: 'R2.4, R6.1: null for students before startsAt, and when format is TICKETS',
  })
  async task(@Root() exam: Exam, @Ctx() ctx: Context): Promise<Task | null> {
    if (exam.format !== ExamFormat.TASK) return null;
    if (!canSeeTask(ctx.user, exam, ctx.services.now())) return null;
    const files = await loadersOf(ctx).files('taskExam').load(exam.id);
    return { text: exam.taskText ?? '', files: files.map((f) => ctx.services.files.toRef(f, ctx.session)) };
  }

  @FieldResolver(() => Platform, { nullable: true, description: 'R2.6' })
  platform(@Root() exam: Exam): Platform | null {
    if (!exam.platformUrl) return null;
    return {
      name: exam.platformName ?? '',
      url: exam.platformUrl,
      login: exam.platformLogin,
      password: exam.platformPassword,
    };
  }

  @FieldResolver(() => Recording, { nullable: true, description: 'R8.1: for students, null unless visibleToStudents' })
  recording(@Root() exam: Exam, @Ctx() ctx: Context): Recording | null {
    if (!exam.recordingUrl) return null;
    if (!canSeeRecording(ctx.user, exam)) return null;
    return { url: exam.recordingUrl, visibleToStudents: exam.recordingVisible };
  }

  @FieldResolver(() => Boolean, {
    description:
      "each student's draft that meets the answer minimum is sent for them at their end (extra time included)",
  })
  autoSendAtEnd(@Root() exam: Exam, @Ctx() ctx: Context): boolean {
    return sendsDraftsAtEnd(exam, ctx.services.config.autoSendAtEnd);
  }

  // ---- staff ------------------------------------------------------------------

  @Authorized(Role.STAFF)
  @Query(() => ExamDefaults, { description: 'issue 11: what the exam form shows for a new exam' })
  examDefaults(@Ctx() ctx: Context): ExamDefaults {
    const { autoSendAtEnd, sendGraceMs } = ctx.services.config;
    return { autoSendAtEnd, sendGraceSeconds: Math.round(sendGraceMs / 1000) };
  }

  @Authorized(Role.STAFF)
  @Mutation(() => Exam)
  createExam(@Ctx() ctx: Context, @Arg('input', () => ExamInput) input: ExamInput): Promise<Exam> {
    return ctx.services.exams.create(ctx.em, input);
  }

  @Authorized(Role.STAFF)
  @Mutation(() => Exam)
  async updateExam(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => ExamInput) input: ExamInput,
    @Arg('confirmStarted', { defaultValue: false, description: 'needed once the exam has started' })
    confirmStarted: boolean,
  ): Promise<Exam> {
    const exam = await managedExam(ctx, id);
    assertChangeConfirmed(exam, ctx.services.now(), confirmStarted);
    return ctx.services.exams.update(ctx.em, exam, input);
  }

  @Authorized(Role.STAFF)
  @Mutation(() => Exam, { description: 'R2.6, R3.1: null removes the platform' })
  async setPlatform(
    @Ctx() ctx: Context,
    @Arg('examId', () => ID) examId: string,
    @Arg('platform', () => PlatformInput, { nullable: true }) platform?: PlatformInput | null,
  ): Promise<Exam> {
    return ctx.services.exams.setPlatform(ctx.em, await managedExam(ctx, examId), platform);
  }

  @Authorized(Role.STAFF)
  @Mutation(() => Exam, { description: 'R8.1: null url removes the recording' })
  async setRecording(
    @Ctx() ctx: Context,
    @Arg('examId', () => ID) examId: string,
    @Arg('url', () => String, { nullable: true }) url: string | null | undefined,
    @Arg('visibleToStudents') visibleToStudents: boolean,
  ): Promise<Exam> {
    return ctx.services.exams.setRecording(ctx.em, await managedExam(ctx, examId), url, visibleToStudents);
  }
}
