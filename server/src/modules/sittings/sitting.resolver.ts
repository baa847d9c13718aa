import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { Page } from '../../common/connection';
import { SittingConnection, SittingsConnectionArgs } from './sitting-list';
import type { Context } from '../../context';
import { loadersOf } from '../../loaders';
import { requireUser } from '../../common/auth';
import { ForbiddenError, withErrorCodes } from '../../common/errors';
import { managedExam, studentSitting } from '../exams/exam-access';
import { canSeeEverySitting } from '../../policy/sitting.policy';
import { Exam } from '../exams/exam.entity';
import { endFor } from '../exams/exam-rules';
import { Role, User } from '../users/user.entity';
import { Sitting } from './sitting.entity';
import { examOf } from './sitting-relations';
import { thenMaybe, type Maybe } from '../../common/loaded';
import { QUESTIONS_PENDING_MESSAGE } from './sitting.service';
import { QuestionsPending, TicketQuestions, TicketQuestionsResult } from './sitting.types';
import { hidesStudents } from '../../policy/blind.policy';
import { inCodeOrder, studentAsSeen } from '../blind/blind-view';

/** An exam's sittings: the calling student's own, or everyone's for staff and the exam's teacher. */
@Resolver(() => Exam)
export class ExamSittingsResolver {
  @FieldResolver(() => Sitting, {
    nullable: true,
    description: "The calling student's own sitting at this exam; null for teachers and staff.",
  })
  async mySitting(@Root() exam: Exam, @Ctx() ctx: Context): Promise<Sitting | null> {
    if (ctx.user?.role !== Role.STUDENT) return null;
    return loadersOf(ctx).ownSitting.load(exam.id);
  }

  @FieldResolver(() => [Sitting], {
    description: withErrorCodes(
      "Every enrolled student's sitting, by the student's name; staff and the exam's teacher only.",
      'FORBIDDEN',
    ),
  })
  async sittings(@Root() exam: Exam, @Ctx() ctx: Context): Promise<Sitting[]> {
    if (!canSeeEverySitting(requireUser(ctx), exam))
      throw new ForbiddenError("Only staff and the exam's teacher see every sitting and ticket.");
    const sittings = await loadersOf(ctx).sittingsOfExam.load(exam.id);
    return hidesStudents(ctx.user, exam) ? inCodeOrder(ctx, exam, sittings) : sittings;
  }

  @FieldResolver(() => SittingConnection, {
    description:
      "issue 13, staff and the exam's teacher: the sittings a page at a time by the students' names, filtered by state and searched by name or login",
  })
  async sittingsConnection(
    @Root() exam: Exam,
    @Ctx() ctx: Context,
    @Args(() => SittingsConnectionArgs) args: SittingsConnectionArgs,
  ): Promise<Page<Sitting>> {
    if (!canSeeEverySitting(requireUser(ctx), exam))
      throw new ForbiddenError("Only staff and the exam's teacher see every sitting and ticket.");
    return ctx.services.sittingList.page(ctx.em, exam.id, args, hidesStudents(ctx.user, exam));
  }
}

@Resolver(() => Sitting)
export class SittingResolver {
  // ---- staff -----------------------------------------------------------------

  @Authorized(Role.STAFF)
  @Mutation(() => [Sitting], {
    description: withErrorCodes(
      "Staff: releases each listed student's ticket questions (R5.3), or every ticket holder's when studentIds is omitted, and returns those sittings; one released before keeps its first release time.",
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'BAD_USER_INPUT',
    ),
  })
  async releaseQuestions(
    @Ctx() ctx: Context,
    @Arg('examId', () => ID, { description: 'The exam (Exam.id).' }) examId: string,
    @Arg('studentIds', () => [ID], {
      nullable: true,
      description: 'The students (User.id), each holding a ticket; omitted: every ticket holder.',
    })
    studentIds?: string[] | null,
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
    description: withErrorCodes(
      "Staff: gives one student a later end (e.g. after a technical failure), honoured wherever the end counts; the student's page hears it at once.",
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'BAD_USER_INPUT',
    ),
  })
  async setExtraTime(
    @Ctx() ctx: Context,
    @Arg('examId', () => ID, { description: 'The exam (Exam.id).' }) examId: string,
    @Arg('studentId', () => ID, { description: 'The enrolled student (User.id).' }) studentId: string,
    @Arg('endsAt', () => Date, {
      nullable: true,
      description: "The student's new end (UTC), after the exam's own end; null takes the extra time back.",
    })
    endsAt?: Date | null,
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
  @Mutation(() => Sitting, {
    description: withErrorCodes(
      'The calling student opens the exam page: marks them present (R2.1); at a RANDOM exam it also draws their ticket.',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'NO_FREE_TICKETS',
    ),
  })
  async enterExam(
    @Ctx() ctx: Context,
    @Arg('examId', () => ID, { description: 'The exam (Exam.id).' }) examId: string,
  ): Promise<Sitting> {
    const { exam, sitting } = await studentSitting(ctx, examId);
    return ctx.services.sittings.enter(ctx.em, exam, sitting, ctx.services.now());
  }

  @Authorized(Role.STUDENT)
  @Mutation(() => TicketQuestionsResult, {
    description: withErrorCodes(
      "The calling student asks for their ticket's questions: QuestionsPending until staff release them (R5.2), then the questions; the first success records questionsViewedAt (R5.3).",
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'BAD_USER_INPUT',
      'EXAM_NOT_STARTED',
    ),
  })
  async showTicketQuestions(
    @Ctx() ctx: Context,
    @Arg('examId', () => ID, { description: 'The exam (Exam.id).' }) examId: string,
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

  @FieldResolver(() => Exam, { description: 'The exam.' })
  exam(@Root() sitting: Sitting, @Ctx() ctx: Context): Maybe<Exam> {
    return examOf(ctx.em, sitting);
  }

  @FieldResolver(() => User, {
    description:
      'The student. To a teacher while the exam is blind (Sitting.blind), a stand-in whose id, login and fullName are the blind code.',
  })
  student(@Root() sitting: Sitting, @Ctx() ctx: Context): Promise<User> {
    return studentAsSeen(ctx, sitting);
  }

  @FieldResolver(() => Boolean, {
    description: 'True while the student has the exam page open (a live subscription to this exam) (R2.1).',
  })
  async online(@Root() sitting: Sitting, @Ctx() ctx: Context): Promise<boolean> {
    return (await ctx.services.sittings.onlineSince(sitting)) !== null;
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description: "When the student's current online stretch began (UTC); null while offline.",
  })
  onlineSince(@Root() sitting: Sitting, @Ctx() ctx: Context): Promise<Date | null> {
    return ctx.services.sittings.onlineSince(sitting);
  }

  @FieldResolver(() => Date, {
    description: "The end that counts for this student (UTC): the exam's, or later with extra time (setExtraTime).",
  })
  endsAt(@Root() sitting: Sitting, @Ctx() ctx: Context): Maybe<Date> {
    return thenMaybe(examOf(ctx.em, sitting), (exam) => endFor(exam, sitting));
  }
}
