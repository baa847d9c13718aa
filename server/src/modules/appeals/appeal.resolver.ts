import {
  Arg,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
  Subscription,
  type SubscribeResolverData,
} from 'type-graphql';
import type { Context } from '../../context';
import { requireRole, requireUser } from '../../common/auth';
import { ForbiddenError, withErrorCodes } from '../../common/errors';
import { STAFF_APPEALS, type AppealEventPayload } from '../../common/events';
import { isLoaded, related, thenMaybe, type Maybe } from '../../common/loaded';
import { loadersOf } from '../../loaders';
import { canReviewAppeal, canSeeAppeal } from '../../policy/appeal.policy';
import { canManage } from '../../policy/exam.policy';
import { staffTrail } from '../audit/audit-trail';
import { SittingEvent } from '../audit/sitting-event.entity';
import { AnswerStatus } from '../answers/answer.entity';
import { Discipline } from '../calendar/calendar.entity';
import { Exam } from '../exams/exam.entity';
import { counted, dropper, guarded } from '../exams/exam-streams';
import { FileRef } from '../files/file-ref.type';
import { Sitting } from '../sittings/sitting.entity';
import { answerOf, examOf } from '../sittings/sitting-relations';
import { Ticket } from '../tickets/ticket.entity';
import { Role, User } from '../users/user.entity';
import { Appeal, AppealDecision, AppealStatus } from './appeal.entity';
import { AppealService, appealNotFound } from './appeal.service';
import { gradePublishedAt } from '../grades/grade-publication';

type AppealData = SubscribeResolverData<unknown, Record<string, never>, Context>;

/** the appeal with its sitting, exam and commission loaded (a list populates them up front) */
async function loaded(ctx: Context, appeal: Appeal): Promise<Appeal> {
  if (!isLoaded(appeal.sitting) || !isLoaded(appeal.sitting.exam) || !appeal.commission.isInitialized())
    await ctx.em.populate(appeal, ['sitting.exam', 'commission']);
  return appeal;
}

async function reviewable(ctx: Context, appeal: Appeal): Promise<boolean> {
  return canReviewAppeal(ctx.user, AppealService.facts(await loaded(ctx, appeal)));
}

@Resolver(() => Appeal)
export class AppealResolver {
  // ---- the student ------------------------------------------------------------

  @Authorized(Role.STUDENT)
  @Mutation(() => Appeal, {
    description: withErrorCodes(
      "The sitting's student appeals its published grade: once per sitting, before Sitting.appealDeadline (APPEAL_WORKING_DAYS working days after publication, on the server's clock). The appeal starts FILED; files are added with POST /files/appeals/:appealId. Staff and the exam's teacher hear it through appealChanged and sittingChanged.",
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'BAD_USER_INPUT',
      'GRADE_NOT_PUBLISHED',
      'APPEAL_WINDOW_CLOSED',
      'APPEAL_EXISTS',
    ),
  })
  fileAppeal(
    @Ctx() ctx: Context,
    @Arg('sittingId', () => ID, { description: "The calling student's own sitting (Sitting.id)." }) sittingId: string,
    @Arg('text', () => String, {
      description:
        'What the student disagrees with and why: 10 to MAX_APPEAL_CHARS characters (5,000 by default); the commission reads it.',
    })
    text: string,
  ): Promise<Appeal> {
    return ctx.services.appeals.file(ctx.em, requireUser(ctx), sittingId, text, ctx.services.now());
  }

  // ---- staff --------------------------------------------------------------------

  @Authorized(Role.STAFF)
  @Mutation(() => Appeal, {
    description: withErrorCodes(
      "Staff form the appeal's commission: one or more teachers, not necessarily the exam's. The appeal is then UNDER_REVIEW; the commission may be re-formed until the decision (the list replaces the last one).",
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'BAD_USER_INPUT',
      'APPEAL_STATE',
    ),
  })
  setAppealCommission(
    @Ctx() ctx: Context,
    @Arg('appealId', () => ID, { description: 'The appeal (Appeal.id).' }) appealId: string,
    @Arg('teacherIds', () => [ID], {
      description:
        "The commission's teachers (User.id of TEACHER accounts), the whole list: it replaces the last one; 1 to 15.",
    })
    teacherIds: string[],
  ): Promise<Appeal> {
    return ctx.services.appeals.setCommission(ctx.em, requireUser(ctx), appealId, teacherIds, ctx.services.now());
  }

  @Authorized(Role.STAFF)
  @Query(() => [Appeal], {
    description: withErrorCodes(
      'Staff: appeals, newest first (by filing time), of one exam or of all, in one state or in any.',
      'UNAUTHENTICATED',
      'FORBIDDEN',
    ),
  })
  appeals(
    @Ctx() ctx: Context,
    @Arg('examId', () => ID, { nullable: true, description: "Only this exam's appeals (Exam.id); null: every exam's." })
    examId?: string | null,
    @Arg('status', () => AppealStatus, { nullable: true, description: 'Only appeals in this state; null: in any.' })
    status?: AppealStatus | null,
  ): Promise<Appeal[]> {
    return ctx.em.find(
      Appeal,
      { ...(examId ? { sitting: { exam: examId } } : {}), ...(status ? { status } : {}) },
      { populate: ['sitting.exam', 'sitting.student', 'commission'], orderBy: { filedAt: 'desc', id: 'asc' } },
    );
  }

  // ---- the commission -------------------------------------------------------------

  @Authorized(Role.TEACHER)
  @Query(() => [Appeal], {
    description: withErrorCodes(
      'A teacher: the appeals of the commissions they sit on, newest first, decided ones included.',
      'UNAUTHENTICATED',
      'FORBIDDEN',
    ),
  })
  myAppeals(@Ctx() ctx: Context): Promise<Appeal[]> {
    const teacher = requireUser(ctx);
    return ctx.em.find(
      Appeal,
      { commission: teacher.id },
      { populate: ['sitting.exam', 'sitting.student', 'commission'], orderBy: { filedAt: 'desc', id: 'asc' } },
    );
  }

  @Authorized(Role.TEACHER, Role.STAFF)
  @Mutation(() => Appeal, {
    description: withErrorCodes(
      'A member of the commission, or staff, decide the appeal once: KEPT, or CHANGED to a new score, with a reason the student reads. A changed score replaces the published grade in the journal and is kept in Sitting.gradeHistory (kind APPEAL_DECIDED). Of two members deciding at once one wins; the other is refused with APPEAL_STATE.',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'BAD_USER_INPUT',
      'NOT_ON_COMMISSION',
      'APPEAL_STATE',
      'GRADE_NOT_PUBLISHED',
    ),
  })
  decideAppeal(
    @Ctx() ctx: Context,
    @Arg('appealId', () => ID, { description: 'The appeal (Appeal.id).' }) appealId: string,
    @Arg('decision', () => AppealDecision, { description: 'Keep the score or change it.' }) decision: AppealDecision,
    @Arg('reason', () => String, { description: 'Why, 1 to 2,000 characters; the student reads it.' }) reason: string,
    @Arg('score', () => Int, {
      nullable: true,
      description: 'The new score, 0 to 100, different from the current one: required with CHANGED, ignored with KEPT.',
    })
    score?: number | null,
  ): Promise<Appeal> {
    return ctx.services.appeals.decide(
      ctx.em,
      requireRole(ctx, Role.TEACHER, Role.STAFF),
      appealId,
      decision,
      score,
      reason,
      ctx.services.now(),
    );
  }

  // ---- anyone who may see it ---------------------------------------------------------

  @Authorized()
  @Query(() => Appeal, {
    description: withErrorCodes(
      "One appeal, for its student, staff, the exam's teacher and the commission's members; anyone else is refused with NOT_FOUND (never null).",
      'UNAUTHENTICATED',
      'NOT_FOUND',
    ),
  })
  async appeal(
    @Ctx() ctx: Context,
    @Arg('id', () => ID, { description: 'The appeal (Appeal.id).' }) id: string,
  ): Promise<Appeal> {
    const appeal = await ctx.services.appeals.find(ctx.em, id);
    if (!canSeeAppeal(ctx.user, AppealService.facts(appeal))) throw appealNotFound();
    return appeal;
  }

  @Subscription(() => Appeal, {
    description: withErrorCodes(
      'Pushes an appeal each time it is filed, given a commission or decided, after the change has committed. Staff hear every appeal; a teacher those of the commissions they sit on. Students hear their own appeal through mySittingChanged.',
      'UNAUTHENTICATED',
      'FORBIDDEN',
    ),
    subscribe: async ({ context }: AppealData) => {
      const user = requireRole(context, Role.STAFF, Role.TEACHER);
      const audience = user.role === Role.STAFF ? STAFF_APPEALS : user.id;
      return guarded(context, context.services.events.appeals(audience, dropper(context)), async (stream) =>
        counted(context, 'appeals', stream),
      );
    },
  })
  async appealChanged(@Root() payload: AppealEventPayload, @Ctx() ctx: Context): Promise<Appeal> {
    ctx.em = ctx.em.fork();
    const appeal = await ctx.services.appeals.find(ctx.em, payload.appealId);
    if (!canSeeAppeal(ctx.user, AppealService.facts(appeal)))
      throw new ForbiddenError('This appeal is no longer open to you.');
    return appeal;
  }

  // ---- fields ----------------------------------------------------------------------------

  @FieldResolver(() => User, { description: 'The student who filed it.' })
  async student(@Root() appeal: Appeal, @Ctx() ctx: Context): Promise<User> {
    const sitting = await related(ctx.em, appeal, 'sitting');
    return related(ctx.em, sitting, 'student');
  }

  @FieldResolver(() => ID, { description: 'The sitting appealed (Sitting.id).' })
  sittingId(@Root() appeal: Appeal): string {
    return appeal.sitting.id;
  }

  @FieldResolver(() => ID, { description: 'The exam of the sitting (Exam.id).' })
  async examId(@Root() appeal: Appeal, @Ctx() ctx: Context): Promise<string> {
    return (await loaded(ctx, appeal)).sitting.exam.id;
  }

  @FieldResolver(() => Discipline, { description: "The exam's discipline." })
  async discipline(@Root() appeal: Appeal, @Ctx() ctx: Context): Promise<Discipline> {
    return related(ctx.em, (await loaded(ctx, appeal)).sitting.exam, 'discipline');
  }

  @FieldResolver(() => Date, { description: 'When the exam began (Exam.startsAt).' })
  async examStartsAt(@Root() appeal: Appeal, @Ctx() ctx: Context): Promise<Date> {
    return (await loaded(ctx, appeal)).sitting.exam.startsAt;
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description:
      'When the window to appeal closed (or closes): the end of the APPEAL_WORKING_DAYS-th working day after publication, in TIME_ZONE.',
  })
  async deadline(@Root() appeal: Appeal, @Ctx() ctx: Context): Promise<Date | null> {
    return ctx.services.appeals.deadlineOf(ctx.em, (await loaded(ctx, appeal)).sitting);
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: 'The score the sitting has now (after a CHANGED decision, the new one).',
  })
  async currentScore(@Root() appeal: Appeal, @Ctx() ctx: Context): Promise<number | null> {
    return (await loaded(ctx, appeal)).sitting.score ?? null;
  }

  @FieldResolver(() => [User], { description: 'The commission: the teachers staff appointed (empty until formed).' })
  async commission(@Root() appeal: Appeal, @Ctx() ctx: Context): Promise<User[]> {
    return (await loaded(ctx, appeal)).commission.getItems();
  }

  @FieldResolver(() => User, {
    nullable: true,
    description:
      'Who recorded the decision (a commission member or staff); null until decided or when that account was removed.',
  })
  async decidedBy(@Root() appeal: Appeal, @Ctx() ctx: Context): Promise<User | null> {
    if (!appeal.decidedBy) return null;
    return loadersOf(ctx).user.load(appeal.decidedBy.id);
  }

  @FieldResolver(() => [FileRef], {
    description: 'The files the student attached to the appeal (POST /files/appeals/:appealId); empty when none.',
  })
  async files(@Root() appeal: Appeal, @Ctx() ctx: Context): Promise<FileRef[]> {
    const files = await loadersOf(ctx).files('appeal').load(appeal.id);
    return files.map((f) => ctx.services.files.toRef(f, ctx.session));
  }

  // ---- the case the commission decides on: staff, the commission, the exam's teacher ----

  @FieldResolver(() => String, {
    nullable: true,
    description: "The case: the student's sent answer text; null for others, or when nothing was sent.",
  })
  async answerText(@Root() appeal: Appeal, @Ctx() ctx: Context): Promise<string | null> {
    if (!(await reviewable(ctx, appeal))) return null;
    const answer = await answerOf(ctx.em, appeal.sitting);
    return answer?.status === AnswerStatus.SUBMITTED ? answer.text : null;
  }

  @FieldResolver(() => [FileRef], { description: "The case: the sent answer's files; empty for others." })
  async answerFiles(@Root() appeal: Appeal, @Ctx() ctx: Context): Promise<FileRef[]> {
    if (!(await reviewable(ctx, appeal))) return [];
    const answer = await answerOf(ctx.em, appeal.sitting);
    if (answer?.status !== AnswerStatus.SUBMITTED) return [];
    const files = await loadersOf(ctx).files('answer').load(answer.id);
    return files.map((f) => ctx.services.files.toRef(f, ctx.session));
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: "The case: the number of the student's ticket; null for others and at a TASK exam.",
  })
  async ticketNumber(@Root() appeal: Appeal, @Ctx() ctx: Context): Promise<number | null> {
    if (!(await reviewable(ctx, appeal))) return null;
    return (await this.ticketOf(ctx, appeal))?.number ?? null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "The case: the questions of the student's ticket, or the exam's task; null for others.",
  })
  async questions(@Root() appeal: Appeal, @Ctx() ctx: Context): Promise<string | null> {
    if (!(await reviewable(ctx, appeal))) return null;
    const ticket = await this.ticketOf(ctx, appeal);
    return ticket ? ticket.questions : (appeal.sitting.exam.taskText ?? null);
  }

  @FieldResolver(() => [FileRef], {
    description: 'The case: the files of the ticket (or of the task); empty for others.',
  })
  async questionFiles(@Root() appeal: Appeal, @Ctx() ctx: Context): Promise<FileRef[]> {
    if (!(await reviewable(ctx, appeal))) return [];
    const ticket = await this.ticketOf(ctx, appeal);
    const files = ticket
      ? await loadersOf(ctx).files('ticket').load(ticket.id)
      : await loadersOf(ctx).files('taskExam').load(appeal.sitting.exam.id);
    return files.map((f) => ctx.services.files.toRef(f, ctx.session));
  }

  @FieldResolver(() => [SittingEvent], {
    description: "The case: the sitting's audit trail as staff read it (drafts stay private); empty for others.",
  })
  async trail(@Root() appeal: Appeal, @Ctx() ctx: Context): Promise<SittingEvent[]> {
    if (!(await reviewable(ctx, appeal))) return [];
    return staffTrail(loadersOf(ctx), appeal.sitting, await answerOf(ctx.em, appeal.sitting));
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "The case: the exam's recording (Exam.recordingUrl); null for others or when none is set.",
  })
  async recordingUrl(@Root() appeal: Appeal, @Ctx() ctx: Context): Promise<string | null> {
    if (!(await reviewable(ctx, appeal))) return null;
    return appeal.sitting.exam.recordingUrl ?? null;
  }

  private async ticketOf(ctx: Context, appeal: Appeal): Promise<Ticket | null> {
    return (await related(ctx.em, appeal.sitting, 'ticket')) ?? null;
  }
}

/** A sitting's appeal and its window, for the student and for those who see the sitting. */
@Resolver(() => Sitting)
export class SittingAppealResolver {
  @FieldResolver(() => Appeal, {
    nullable: true,
    description:
      "The appeal filed against this sitting's grade; null when none, or for a caller other than its student, staff, the exam's teacher and the commission.",
  })
  appeal(@Root() sitting: Sitting, @Ctx() ctx: Context): Maybe<Appeal | null> {
    // no published grade, no appeal: the exam page's hot read during the exam costs no statement (nor promise) for it
    if (!gradePublishedAt(sitting)) return null;
    return loadersOf(ctx)
      .appealOfSitting.load(sitting.id)
      .then((appeal) => (appeal && canSeeAppeal(ctx.user, AppealService.facts(appeal)) ? appeal : null));
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description:
      'The end of the window to appeal the published grade (APPEAL_WORKING_DAYS working days after publication, in TIME_ZONE); null before publication.',
  })
  appealDeadline(@Root() sitting: Sitting, @Ctx() ctx: Context): Maybe<Date | null> {
    if (!gradePublishedAt(sitting)) return null;
    return thenMaybe(examOf(ctx.em, sitting), (exam) => {
      if (ctx.user?.id !== sitting.student.id && !canManage(ctx.user, exam)) return null;
      return ctx.services.appeals.deadlineOf(ctx.em, sitting);
    });
  }
}

/** The calling student's appeal window at an exam. */
@Resolver(() => Exam)
export class ExamAppealResolver {
  @FieldResolver(() => Date, {
    nullable: true,
    description: "The student's own Sitting.appealDeadline at this exam; null for others and before publication.",
  })
  async appealDeadline(@Root() exam: Exam, @Ctx() ctx: Context): Promise<Date | null> {
    if (ctx.user?.role !== Role.STUDENT) return null;
    const sitting = await loadersOf(ctx).ownSitting.load(exam.id);
    return sitting ? ctx.services.appeals.deadlineOf(ctx.em, sitting) : null;
  }
}
