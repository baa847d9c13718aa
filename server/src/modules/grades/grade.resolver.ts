import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { requireUser } from '../../common/auth';
import { NotFoundError } from '../../common/errors';
import { loadersOf } from '../../loaders';
import { isLoaded } from '../../common/loaded';
import { canCorrectGrade, canPublishResults, canSeeGrade } from '../../policy/sitting.policy';
import { managedExam } from '../exams/exam-access';
import { Exam } from '../exams/exam.entity';
import { examOf } from '../sittings/sitting-relations';
import { Sitting } from '../sittings/sitting.entity';
import { Role, User } from '../users/user.entity';
import { GradeChange, GradeChangeKind } from './grade-change.entity';
import { isGradePublished } from './grade-publication';
import { GradeService } from './grade.service';
import { Grade } from './grade.type';

/** A sitting's grade: given by the exam's teacher or staff (R7.7), published to the student (issue 12). */
@Resolver(() => Sitting)
export class SittingGradeResolver {
  @Authorized(Role.TEACHER, Role.STAFF)
  @Mutation(() => Sitting, {
    description:
      'R7.7: score 0..100. Refused with GRADE_PUBLISHED once the grade is published (use correctGrade or an appeal)',
  })
  gradeSitting(
    @Ctx() ctx: Context,
    @Arg('sittingId', () => ID) sittingId: string,
    @Arg('score', () => Int) score: number,
    @Arg('comment', () => String, { nullable: true }) comment?: string | null,
  ): Promise<Sitting> {
    return ctx.services.grades.grade(ctx.em, requireUser(ctx), sittingId, score, comment, ctx.services.now());
  }

  @Authorized(Role.STAFF)
  @Mutation(() => Sitting, {
    description:
      'issue 12, staff: changes a published grade, with a reason kept in its history and the trail (GRADE_CORRECTED)',
  })
  async correctGrade(
    @Ctx() ctx: Context,
    @Arg('sittingId', () => ID, { description: 'the sitting whose published grade changes' }) sittingId: string,
    @Arg('score', () => Int, { description: 'the new score, 0..100' }) score: number,
    @Arg('reason', () => String, { description: 'why the grade changes (required, shown in its history)' })
    reason: string,
  ): Promise<Sitting> {
    const user = requireUser(ctx);
    const sitting = await ctx.em.findOne(Sitting, { id: sittingId }, { populate: ['exam', 'gradedBy'] });
    if (!sitting || !canCorrectGrade(user)) throw new NotFoundError('There is no such sitting.');
    return ctx.services.grades.changePublishedGrade(
      ctx.em,
      user,
      sitting,
      score,
      reason,
      GradeChangeKind.CORRECTED,
      ctx.services.now(),
    );
  }

  @FieldResolver(() => Grade, {
    nullable: true,
    description: "the grade; for the student null until it is published (staff and the exam's teacher see drafts)",
  })
  async grade(@Root() sitting: Sitting, @Ctx() ctx: Context): Promise<Grade | null> {
    if (sitting.score == null) return null;
    if (!canSeeGrade(ctx.user, await examOf(ctx.em, sitting), isGradePublished(sitting))) return null;
    if (sitting.gradedBy && !isLoaded(sitting.gradedBy)) await loadersOf(ctx).user.load(sitting.gradedBy.id);
    return GradeService.gradeOf(sitting);
  }

  @FieldResolver(() => [GradeChange], {
    description:
      "issue 12: the published grade's history, oldest first (staff, the exam's teacher, and the student once published)",
  })
  async gradeHistory(@Root() sitting: Sitting, @Ctx() ctx: Context): Promise<GradeChange[]> {
    if (!canSeeGrade(ctx.user, await examOf(ctx.em, sitting), isGradePublished(sitting))) return [];
    return loadersOf(ctx).gradeHistory.load(sitting.id);
  }
}

/** issue 12: publishing an exam's results, and who did. */
@Resolver(() => Exam)
export class ExamResultsResolver {
  @Authorized(Role.TEACHER, Role.STAFF)
  @Mutation(() => Exam, {
    description:
      "issue 12: publishes an ON_PUBLICATION exam's graded results to its students (the exam's teacher or staff). " +
      'Refused with EXAM_NOT_ENDED, UNGRADED_ANSWERS (extensions.ungraded) or RESULTS_ALREADY_PUBLISHED',
  })
  async publishResults(
    @Ctx() ctx: Context,
    @Arg('examId', () => ID, { description: 'the exam whose results are published' }) examId: string,
  ): Promise<Exam> {
    const exam = await managedExam(ctx, examId, Role.TEACHER, Role.STAFF);
    return (await ctx.services.results.publish(ctx.em, requireUser(ctx), exam, ctx.services.now())).exam;
  }

  @FieldResolver(() => User, {
    nullable: true,
    description: "who published the results (staff and the exam's teacher; null for students and until published)",
  })
  async resultsPublishedBy(@Root() exam: Exam, @Ctx() ctx: Context): Promise<User | null> {
    if (!exam.resultsPublishedBy) return null;
    if (!canPublishResults(ctx.user, exam)) return null;
    return loadersOf(ctx).user.load(exam.resultsPublishedBy.id);
  }
}

/** issue 12: who made an entry of a grade's history. */
@Resolver(() => GradeChange)
export class GradeChangeResolver {
  @FieldResolver(() => User, { nullable: true, description: 'who published or changed the grade' })
  actor(@Root() change: GradeChange, @Ctx() ctx: Context): Promise<User | null> | null {
    return change.actor ? loadersOf(ctx).user.load(change.actor.id) : null;
  }
}
