import { wrap } from '@mikro-orm/core';
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { loadersOf } from '../../loaders';
import { requireUser } from '../../common/auth';
import { ForbiddenError } from '../../common/errors';
import { Answer, AnswerStatus } from '../answers/answer.entity';
import { SittingEvent } from '../audit/sitting-event.entity';
import { staffTrail } from '../audit/audit.service';
import { studentSitting, manages } from '../exams/exam-access';
import { Exam } from '../exams/exam.entity';
import { endFor, hasStarted } from '../exams/exam-rules';
import { Grade } from '../grades/grade.type';
import { GradeService } from '../grades/grade.service';
import { Role, User } from '../users/user.entity';
import { Sitting } from './sitting.entity';
import { QUESTIONS_PENDING_MESSAGE } from './sitting.service';
import { QuestionsPending, TicketQuestions, TicketQuestionsResult } from './sitting.types';

@Resolver(() => Sitting)
export class SittingResolver {
  // ---- the student's own actions ---------------------------------------------

  @Authorized(Role.STUDENT)
  @Mutation(() => Sitting, { description: 'R2.1: marks the student present at the exam' })
  async enterExam(@Ctx() ctx: Context, @Arg('examId', () => ID) examId: string): Promise<Sitting> {
    const { exam, sitting } = await studentSitting(ctx, examId);
    return ctx.services.sittings.enter(ctx.em, exam, sitting, ctx.services.now());
  }

  @Authorized(Role.STUDENT)
  @Mutation(() => Sitting, { description: 'R4.3: STUDENT_CHOICE only; one ticket, once' })
  async chooseTicket(@Ctx() ctx: Context, @Arg('examId', () => ID) examId: string, @Arg('ticketId', () => ID) ticketId: string): Promise<Sitting> {
    const { exam, sitting } = await studentSitting(ctx, examId);
    return ctx.services.tickets.chooseTicket(ctx.em, exam, sitting, ticketId, ctx.services.now());
  }

  @Authorized(Role.STUDENT)
  @Mutation(() => TicketQuestionsResult, { description: 'R5.2, R5.3: records questionsViewedAt on first success' })
  async showTicketQuestions(@Ctx() ctx: Context, @Arg('examId', () => ID) examId: string): Promise<QuestionsPending | TicketQuestions> {
    const { exam, sitting } = await studentSitting(ctx, examId);
    const outcome = await ctx.services.sittings.showQuestions(ctx.em, exam, sitting, ctx.services.now());
    if (outcome.kind === 'pending') return Object.assign(new QuestionsPending(), { message: QUESTIONS_PENDING_MESSAGE });
    return Object.assign(new TicketQuestions(), {
      ticketNumber: outcome.ticketNumber, questions: outcome.questions, viewedAt: outcome.viewedAt,
      files: outcome.files.map((f) => ctx.services.files.toRef(f, ctx.session)),
    });
  }

  @Authorized(Role.STUDENT)
  @Mutation(() => Answer, { description: 'R7.4' })
  async saveAnswer(@Ctx() ctx: Context, @Arg('examId', () => ID) examId: string, @Arg('text') text: string): Promise<Answer> {
    await ctx.services.rateLimits.studentSave(requireUser(ctx).id);
    const { exam, sitting } = await studentSitting(ctx, examId, true);
    return ctx.services.answers.write(ctx.em, exam, sitting, text, false, ctx.services.now());
  }

  @Authorized(Role.STUDENT)
  @Mutation(() => Answer, { description: 'R7.5, R7.6: the text sent is saved and submitted in one step' })
  async submitAnswer(@Ctx() ctx: Context, @Arg('examId', () => ID) examId: string, @Arg('text') text: string): Promise<Answer> {
    const { exam, sitting } = await studentSitting(ctx, examId, true);
    return ctx.services.answers.write(ctx.em, exam, sitting, text, true, ctx.services.now());
  }

  @Authorized(Role.STUDENT)
  @Mutation(() => Answer, { description: 'R7.3' })
  async deleteAnswerFile(@Ctx() ctx: Context, @Arg('examId', () => ID) examId: string, @Arg('fileId', () => ID) fileId: string): Promise<Answer> {
    const { exam, sitting } = await studentSitting(ctx, examId);
    return ctx.services.answers.deleteFile(ctx.em, exam, sitting, fileId, ctx.services.now());
  }

  // ---- teacher (the exam's own) and staff --------------------------------------

  @Authorized(Role.TEACHER, Role.STAFF)
  @Mutation(() => Sitting, { description: 'R7.7: score 0..100' })
  gradeSitting(
    @Ctx() ctx: Context, @Arg('sittingId', () => ID) sittingId: string,
    @Arg('score', () => Int) score: number, @Arg('comment', () => String, { nullable: true }) comment?: string | null,
  ): Promise<Sitting> {
    return ctx.services.grades.grade(ctx.em, requireUser(ctx), sittingId, score, comment, ctx.services.now());
  }

  // ---- fields: a sitting is seen by its student, staff and the exam's teacher ----

  // a push's sitting comes with these loaded (and a page's lists populate them): asking the ORM to populate a loaded
  // relation still costs a walk through its loader, several times a sitting, thousands of times a release

  private async examOf(sitting: Sitting, ctx: Context): Promise<Exam> {
    if (!wrap(sitting.exam).isInitialized()) await ctx.em.populate(sitting, ['exam']);
    return sitting.exam;
  }

  /** the sitting's answer, read once: lists populate it up front, a single sitting loads it here */
  private async answerOf(sitting: Sitting, ctx: Context): Promise<Answer | null> {
    // undefined: the inverse side was never loaded; null: loaded, and there is none
    if (sitting.answer === undefined || (sitting.answer && !wrap(sitting.answer).isInitialized())) await ctx.em.populate(sitting, ['answer']);
    return sitting.answer ?? null;
  }

  private isAuthor(sitting: Sitting, ctx: Context): boolean {
    return !!ctx.user && sitting.student.id === ctx.user.id;
  }

  @FieldResolver(() => Exam)
  exam(@Root() sitting: Sitting, @Ctx() ctx: Context): Promise<Exam> {
    return this.examOf(sitting, ctx);
  }

  @FieldResolver(() => User)
  async student(@Root() sitting: Sitting, @Ctx() ctx: Context): Promise<User> {
    if (!wrap(sitting.student).isInitialized()) await ctx.em.populate(sitting, ['student']);
    return sitting.student;
  }

  @FieldResolver(() => Boolean, { description: 'R2.1: true while the student has the exam page open' })
  async online(@Root() sitting: Sitting, @Ctx() ctx: Context): Promise<boolean> {
    return (await ctx.services.sittings.onlineSince(sitting)) !== null;
  }

  @FieldResolver(() => Date, { nullable: true, description: 'when the student\'s current online stretch began' })
  onlineSince(@Root() sitting: Sitting, @Ctx() ctx: Context): Promise<Date | null> {
    return ctx.services.sittings.onlineSince(sitting);
  }

  @FieldResolver(() => Int, { nullable: true, description: 'R2.3: null for the student until the exam has started' })
  async ticketNumber(@Root() sitting: Sitting, @Ctx() ctx: Context): Promise<number | null> {
    if (!sitting.ticket) return null;
    const exam = await this.examOf(sitting, ctx);
    if (!manages(ctx.user, exam) && !hasStarted(exam, ctx.services.now())) return null;
    if (!wrap(sitting.ticket).isInitialized()) await ctx.em.populate(sitting, ['ticket']);
    return sitting.ticket.number;
  }

  @FieldResolver(() => Date, { description: 'the end that counts for this student: the exam\'s, or later with extra time' })
  async endsAt(@Root() sitting: Sitting, @Ctx() ctx: Context): Promise<Date> {
    return endFor(await this.examOf(sitting, ctx), sitting);
  }

  @FieldResolver(() => Answer, { nullable: true, description: 'the student\'s own answer; for teacher and staff only once SUBMITTED (R7.4)' })
  async answer(@Root() sitting: Sitting, @Ctx() ctx: Context): Promise<Answer | null> {
    const answer = await this.answerOf(sitting, ctx);
    if (!answer) return null;
    return this.isAuthor(sitting, ctx) || answer.status === AnswerStatus.SUBMITTED ? answer : null;
  }

  @FieldResolver(() => AnswerStatus, { nullable: true, description: 'whether an answer exists and is sent; its text stays with the student until sent' })
  async answerStatus(@Root() sitting: Sitting, @Ctx() ctx: Context): Promise<AnswerStatus | null> {
    return (await this.answerOf(sitting, ctx))?.status ?? null;
  }

  @FieldResolver(() => Date, { nullable: true, description: 'when the answer was last saved (drafts included: the time only, never the text)' })
  async answerSavedAt(@Root() sitting: Sitting, @Ctx() ctx: Context): Promise<Date | null> {
    return (await this.answerOf(sitting, ctx))?.savedAt ?? null;
  }

  @FieldResolver(() => Date, { nullable: true, description: 'when the answer was sent' })
  async submittedAt(@Root() sitting: Sitting, @Ctx() ctx: Context): Promise<Date | null> {
    return (await this.answerOf(sitting, ctx))?.submittedAt ?? null;
  }

  @FieldResolver(() => Grade, { nullable: true })
  async grade(@Root() sitting: Sitting, @Ctx() ctx: Context): Promise<Grade | null> {
    if (sitting.gradedBy && !wrap(sitting.gradedBy).isInitialized()) await loadersOf(ctx).user.load(sitting.gradedBy.id);
    return GradeService.gradeOf(sitting);
  }

  @FieldResolver(() => [SittingEvent], { description: 'the audit trail, for staff and the exam\'s teacher (appeals); a draft\'s entries say when, not what, until it is sent (R7.4)' })
  async events(@Root() sitting: Sitting, @Ctx() ctx: Context): Promise<SittingEvent[]> {
    if (!manages(ctx.user, await this.examOf(sitting, ctx))) throw new ForbiddenError('Only staff and the exam\'s teacher see the audit trail.');
    return staffTrail(loadersOf(ctx), sitting, await this.answerOf(sitting, ctx));
  }
}

@Resolver(() => SittingEvent)
export class SittingEventResolver {
  @FieldResolver(() => User, { nullable: true, description: 'who did it' })
  actor(@Root() event: SittingEvent): User | null {
    return event.actor ?? null;
  }
}
