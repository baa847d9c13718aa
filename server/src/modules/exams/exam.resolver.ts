import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { requireUser } from '../../common/auth';
import { withErrorCodes } from '../../common/errors';
import { loadersOf } from '../../loaders';
import { related } from '../../common/loaded';
import { AcademicYear, Discipline, Period } from '../calendar/calendar.entity';
import { Role, User } from '../users/user.entity';
import { managedExam, visibleExam } from './exam-access';
import { Exam, ExamFormat } from './exam.entity';
import { ExamInput, PlatformInput } from './exam.inputs';
import { assertChangeConfirmed, CONFIRM_STARTED, sendsDraftsAtEnd } from './exam-rules';
import { canSeeRecording, canSeeTask } from '../../policy/exam.policy';
import { ExamDefaults, Platform, Recording, Task } from './exam.types';

/** The exam itself; its sittings, tickets and files are resolved by those modules. */
@Resolver(() => Exam)
export class ExamResolver {
  // ---- queries -------------------------------------------------------------

  @Authorized()
  @Query(() => [Exam], {
    description: withErrorCodes(
      'The exams the calling person is enrolled at, by start time, in a year and optionally one period (R1.2, R1.3); empty for teachers and staff.',
      'UNAUTHENTICATED',
    ),
  })
  myExams(
    @Ctx() ctx: Context,
    @Arg('academicYearId', () => ID, { description: 'The academic year (AcademicYear.id).' }) academicYearId: string,
    @Arg('periodId', () => ID, { nullable: true, description: 'One period of that year; omitted: the whole year.' })
    periodId?: string,
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
  @Query(() => [Exam], {
    description: withErrorCodes(
      'The exams of a period by start time: every exam for staff, the exams they teach for a teacher.',
      'UNAUTHENTICATED',
      'FORBIDDEN',
    ),
  })
  exams(
    @Ctx() ctx: Context,
    @Arg('periodId', () => ID, { description: 'The academic period (Period.id).' }) periodId: string,
  ): Promise<Exam[]> {
    const user = requireUser(ctx);
    return ctx.em.find(Exam, user.role === Role.STAFF ? { period: periodId } : { period: periodId, teacher: user.id }, {
      orderBy: { startsAt: 'asc' },
      populate: ['period.academicYear', 'discipline', 'teacher'],
    });
  }

  @Authorized()
  @Query(() => Exam, {
    nullable: true,
    description: withErrorCodes(
      'One exam, for staff, its teacher and its enrolled students; any other id is refused as NOT_FOUND (never null).',
      'UNAUTHENTICATED',
      'NOT_FOUND',
    ),
  })
  exam(@Ctx() ctx: Context, @Arg('id', () => ID, { description: 'The exam (Exam.id).' }) id: string): Promise<Exam> {
    return visibleExam(ctx, id);
  }

  // ---- fields: what each role may see, and when ------------------------------

  @FieldResolver(() => AcademicYear, { description: "The academic year of the exam's period." })
  async academicYear(@Root() exam: Exam, @Ctx() ctx: Context): Promise<AcademicYear> {
    return related(ctx.em, await related(ctx.em, exam, 'period'), 'academicYear');
  }

  @FieldResolver(() => Period, { description: 'The academic period it belongs to.' })
  period(@Root() exam: Exam, @Ctx() ctx: Context): Promise<Period> {
    return related(ctx.em, exam, 'period');
  }

  @FieldResolver(() => Discipline, { description: 'The discipline examined.' })
  discipline(@Root() exam: Exam, @Ctx() ctx: Context): Promise<Discipline> {
    return related(ctx.em, exam, 'discipline');
  }

  @FieldResolver(() => User, { description: 'The teacher who grades it.' })
  teacher(@Root() exam: Exam, @Ctx() ctx: Context): Promise<User> {
    return related(ctx.em, exam, 'teacher');
  }

  @FieldResolver(() => Task, {
    nullable: true,
    description: 'The task of a TASK exam; null when format is TICKETS, and for students until startsAt (R2.4, R6.1).',
  })
  async task(@Root() exam: Exam, @Ctx() ctx: Context): Promise<Task | null> {
    if (exam.format !== ExamFormat.TASK) return null;
    if (!canSeeTask(ctx.user, exam, ctx.services.now())) return null;
    const files = await loadersOf(ctx).files('taskExam').load(exam.id);
    return { text: exam.taskText ?? '', files: files.map((f) => ctx.services.files.toRef(f, ctx.session)) };
  }

  @FieldResolver(() => Platform, {
    nullable: true,
    description: 'The online platform with its joining details; null until staff set one (R2.6, R3.1).',
  })
  platform(@Root() exam: Exam): Platform | null {
    if (!exam.platformUrl) return null;
    return {
      name: exam.platformName ?? '',
      url: exam.platformUrl,
      login: exam.platformLogin,
      password: exam.platformPassword,
    };
  }

  @FieldResolver(() => Recording, {
    nullable: true,
    description: 'The video recording; null when there is none, and for students unless visibleToStudents (R8.1).',
  })
  recording(@Root() exam: Exam, @Ctx() ctx: Context): Recording | null {
    if (!exam.recordingUrl) return null;
    if (!canSeeRecording(ctx.user, exam)) return null;
    return { url: exam.recordingUrl, visibleToStudents: exam.recordingVisible };
  }

  @FieldResolver(() => Boolean, {
    description:
      "Whether each student's draft that meets the answer minimum is sent for them at their own end (extra time included).",
  })
  autoSendAtEnd(@Root() exam: Exam, @Ctx() ctx: Context): boolean {
    return sendsDraftsAtEnd(exam, ctx.services.config.autoSendAtEnd);
  }

  // ---- staff ------------------------------------------------------------------

  @Authorized(Role.STAFF)
  @Query(() => ExamDefaults, {
    description: withErrorCodes("Staff: the server's defaults for a new exam's form.", 'UNAUTHENTICATED', 'FORBIDDEN'),
  })
  examDefaults(@Ctx() ctx: Context): ExamDefaults {
    const { autoSendAtEnd, sendGraceMs } = ctx.services.config;
    return { autoSendAtEnd, sendGraceSeconds: Math.round(sendGraceMs / 1000) };
  }

  @Authorized(Role.STAFF)
  @Mutation(() => Exam, {
    description: withErrorCodes(
      'Staff: creates an exam with its enrolled students.',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'BAD_USER_INPUT',
      'BLIND_NEEDS_PUBLICATION',
    ),
  })
  createExam(
    @Ctx() ctx: Context,
    @Arg('input', () => ExamInput, { description: 'The exam.' }) input: ExamInput,
  ): Promise<Exam> {
    return ctx.services.exams.create(ctx.em, input);
  }

  @Authorized(Role.STAFF)
  @Mutation(() => Exam, {
    description: withErrorCodes(
      "Staff: replaces an exam's settings and students. After its start it needs confirmStarted: true.",
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'BAD_USER_INPUT',
      'CONFIRMATION_REQUIRED',
      'BLIND_NEEDS_PUBLICATION',
    ),
  })
  async updateExam(
    @Ctx() ctx: Context,
    @Arg('id', () => ID, { description: 'The exam (Exam.id).' }) id: string,
    @Arg('input', () => ExamInput, { description: 'The whole exam as it should be.' }) input: ExamInput,
    @Arg('confirmStarted', { defaultValue: false, description: CONFIRM_STARTED })
    confirmStarted: boolean,
  ): Promise<Exam> {
    const exam = await managedExam(ctx, id);
    assertChangeConfirmed(exam, ctx.services.now(), confirmStarted);
    return ctx.services.exams.update(ctx.em, exam, input);
  }

  @Authorized(Role.STAFF)
  @Mutation(() => Exam, {
    description: withErrorCodes(
      'Staff: sets or removes the online platform (R2.6, R3.1); the enrolled students see it at once.',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'BAD_USER_INPUT',
    ),
  })
  async setPlatform(
    @Ctx() ctx: Context,
    @Arg('examId', () => ID, { description: 'The exam (Exam.id).' }) examId: string,
    @Arg('platform', () => PlatformInput, { nullable: true, description: 'The platform; null removes it.' })
    platform?: PlatformInput | null,
  ): Promise<Exam> {
    return ctx.services.exams.setPlatform(ctx.em, await managedExam(ctx, examId), platform);
  }

  @Authorized(Role.STAFF)
  @Mutation(() => Exam, {
    description: withErrorCodes(
      'Staff: sets or removes the video recording and whether students may watch it (R8.1).',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'BAD_USER_INPUT',
    ),
  })
  async setRecording(
    @Ctx() ctx: Context,
    @Arg('examId', () => ID, { description: 'The exam (Exam.id).' }) examId: string,
    @Arg('url', () => String, { nullable: true, description: "The recording's http(s) address; null removes it." })
    url: string | null | undefined,
    @Arg('visibleToStudents', { description: 'Whether the enrolled students may watch it.' })
    visibleToStudents: boolean,
  ): Promise<Exam> {
    return ctx.services.exams.setRecording(ctx.em, await managedExam(ctx, examId), url, visibleToStudents);
  }
}
