import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { loadersOf } from '../../loaders';
import { requireUser } from '../../common/auth';
import { ForbiddenError } from '../../common/errors';
import { managedExam, studentSitting } from '../exams/exam-access';
import { canSeeEverySitting } from '../../policy/sitting.policy';
import { Exam } from '../exams/exam.entity';
import { endFor } from '../exams/exam-rules';
import { Role, User } from '../users/user.entity';
import { Sitting } from './sitting.entity';
import { examOf } from './sitting-relations';
import { QUESTIONS_PENDING_MESSAGE } from './sitting.service';
import { QuestionsPending, TicketQuestions, TicketQuestionsResult } from './sitting.types';
import { hidesStudents } from '../../policy/blind.policy';
import { inCodeOrder, studentAsSeen } from '../blind/blind-view';

/** An exam's sittings: the calling student's own, or everyone's for staff and the exam's teacher. */
@Resolver(() => Exam)
export class ExamSittingsResolver {
  @FieldResolver(() => Sitting, { nullable: true, description: "the calling student's own sitting (null for others)" })
  async mySitting(@Root() exam: Exam, @Ctx() ctx: Context): Promise<Sitting | null> {
    if (ctx.user?.role !== Role.STUDENT) return null;
    return loadersOf(ctx).ownSitting.load(exam.id);
  }

  @FieldResolver(() => [Sitting], { description: "staff and the exam's teacher: everyone's sittings" })
  async sittings(@Root() exam: Exam, @Ctx() ctx: Context): Promise<Sitting[]> {
    if (!canSeeEverySitting(requireUser(ctx), exam))
      throw new ForbiddenError("Only staff and the exam's teacher see every sitting and ticket.");
    const sittings = await loadersOf(ctx).sittingsOfExam.load(exam.id);
    return hidesStudents(ctx.user, exam) ? inCodeOrder(ctx, exam, sittings) : sittings;
  }
}

@Resolver(() => Sitting)
export class SittingResolver {
  // ---- staff -----------------------------------------------------------------

  @Authorized(Role.STAFF)
  @Mutation(() => [Sitting], {
    description: 'R5.3: to the listed students, or to every student holding a ticket when studentIds is omitted',
  })
  async releaseQuestions(
    @Ctx() ctx: Context,
    @Arg('examId', () => ID) examId: string,
    @Arg('studentIds', () => [ID], { nullable: true }) studentIds?: string[] | null,
  ): Promise<Sitting[]> {
    return ctx.services.sittings.releaseQuestions(
      ctx.em,
      await managedExam(ctx, examId),
      studentIds,
      requireUser(ctx),
      ctx.services.now(),
    );
  }

  @Authorized(Role.STAFF)
  @Mutation(() => Sitting, {
    description: 'a later end for one student (e.g. after a technical failure); null takes it back',
  })
  async setExtraTime(
    @Ctx() ctx: Context,
    @Arg('examId', () => ID) examId: string,
    @Arg('studentId', () => ID) studentId: string,
    @Arg('endsAt', () => Date, { nullable: true }) endsAt?: Date | null,
  ): Promise<Sitting> {
    return ctx.services.sittings.setExtraTime(
      ctx.em,
      await managedExam(ctx, examId),
      studentId,
      endsAt ?? null,
      requireUser(ctx),
      ctx.services.now(),
    );
  }

  // ---- the student's own actions ---------------------------------------------

  @Authorized(Role.STUDENT)
  @Mutation(() => Sitting, { description: 'R2.1: marks the student present at the exam' })
  async enterExam(@Ctx() ctx: Context, @Arg('examId', () => ID) examId: string): Promise<Sitting> {
    const { exam, sitting } = await studentSitting(ctx, examId);
    return ctx.services.sittings.enter(ctx.em, exam, sitting, ctx.services.now());
  }

  @Authorized(Role.STUDENT)
  @Mutation(() => TicketQuestionsResult, { description: 'R5.2, R5.3: records questionsViewedAt on first success' })
  async showTicketQuestions(
    @Ctx() ctx: Context,
    @Arg('examId', () => ID) examId: string,
  ): Promise<QuestionsPending | TicketQuestions> {
    const { exam, sitting } = await studentSitting(ctx, examId);
    const outcome = await ctx.services.sittings.showQuestions(ctx.em, exam, sitting, ctx.services.now());
    if (outcome.kind === 'pending')
      return Object.assign(new QuestionsPending(), { message: QUESTIONS_PENDING_MESSAGE });
    return Object.assign(new TicketQuestions(), {
      ticketNumber: outcome.ticketNumber,
      questions: outcome.questions,
      viewedAt: outcome.viewedAt,
      files: outcome.files.map((f) => ctx.services.files.toRef(f, ctx.session)),
    });
  }

  // ---- fields: a sitting is seen by its student, staff and the exam's teacher ----

  @FieldResolver(() => Exam)
  exam(@Root() sitting: Sitting, @Ctx() ctx: Context): Promise<Exam> {
    return examOf(ctx.em, sitting);
  }

  @FieldResolver(() => User, {
    description:
      'the student; to a teacher while the exam is blind (Sitting.blind), a stand-in whose id, login and fullName are the blind code',
  })
  student(@Root() sitting: Sitting, @Ctx() ctx: Context): Promise<User> {
    return studentAsSeen(ctx, sitting);
  }

  @FieldResolver(() => Boolean, { description: 'R2.1: true while the student has the exam page open' })
  async online(@Root() sitting: Sitting, @Ctx() ctx: Context): Promise<boolean> {
    return (await ctx.services.sittings.onlineSince(sitting)) !== null;
  }

  @FieldResolver(() => Date, { nullable: true, description: "when the student's current online stretch began" })
  onlineSince(@Root() sitting: Sitting, @Ctx() ctx: Context): Promise<Date | null> {
    return ctx.services.sittings.onlineSince(sitting);
  }

  @FieldResolver(() => Date, {
    description: "the end that counts for this student: the exam's, or later with extra time",
  })
  async endsAt(@Root() sitting: Sitting, @Ctx() ctx: Context): Promise<Date> {
    return endFor(await examOf(ctx.em, sitting), sitting);
  }
}
