import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { requireUser } from '../../common/auth';
import { NotFoundError, withErrorCodes } from '../../common/errors';
import { loadersOf } from '../../loaders';
import { type Maybe, isLoaded } from '../../common/loaded';
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
    description: withErrorCodes(
      "The exam's teacher or staff grade a sitting (R7.7) once its answer is sent or the student's end has passed; grading again replaces the grade until it is published. At an AT_ONCE exam the grade is published as it is saved; at an ON_PUBLICATION exam it stays a draft, seen only by staff and the exam's teacher, until publishResults. A published grade changes only by correctGrade or an appeal.",
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'BAD_USER_INPUT',
      'GRADE_PUBLISHED',
    ),
  })
  gradeSitting(
    @Ctx() ctx: Context,
    @Arg('sittingId', () => ID, { description: 'The sitting (Sitting.id).' }) sittingId: string,
    @Arg('score', () => Int, { description: 'The score, a whole number from 0 to 100.' }) score: number,
    @Arg('comment', () => String, { nullable: true, description: 'A comment to the student, up to 5000 characters.' })
    comment?: string | null,
  ): Promise<Sitting> {
    return ctx.services.grades.grade(ctx.em, requireUser(ctx), sittingId, score, comment, ctx.services.now());
  }

  @Authorized(Role.STAFF)
  @Mutation(() => Sitting, {
    description: withErrorCodes(
      'Staff change a grade the student has already been shown, with a reason: the new score, letter and GPA replace the old in the journal, and the change is kept in Sitting.gradeHistory (kind CORRECTED) and the audit trail (GRADE_CORRECTED). The student hears it through mySittingChanged. A grade not yet published is edited with gradeSitting instead.',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'BAD_USER_INPUT',
      'GRADE_NOT_PUBLISHED',
    ),
  })
  async correctGrade(
    @Ctx() ctx: Context,
    @Arg('sittingId', () => ID, { description: 'The sitting whose published grade changes (Sitting.id).' })
    sittingId: string,
    @Arg('score', () => Int, {
      description: 'The new score, a whole number from 0 to 100; it must differ from the current one.',
    })
    score: number,
    @Arg('reason', () => String, {
      description: 'Why the grade changes, 1 to 2,000 characters; kept in its history, which the student reads.',
    })
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
    description:
      "The grade: null until graded; for the student also null until it is published (staff and the exam's teacher see drafts).",
  })
  grade(@Root() sitting: Sitting, @Ctx() ctx: Context): Maybe<Grade | null> {
    if (sitting.score == null) return null; // without a promise: most pushed sittings have no grade
    return visibleGrade(ctx, sitting);
  }

  @FieldResolver(() => [GradeChange], {
    description:
      "The published grade's history, oldest first: its publication, then every correction and appeal decision. Staff and the exam's teacher see it; the student once the grade is published (empty before).",
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
    description: withErrorCodes(
      "The exam's teacher or staff publish an ON_PUBLICATION exam's results: every graded sitting's grade reaches its student at once (Sitting.gradePublishedAt), the journal shows it and the appeal window opens. Allowed once the last student's end (extra time included) plus SEND_GRACE_MS has passed and every sent answer is graded; sittings with nothing sent may stay ungraded. Done once: a second call is refused, not repeated.",
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'BAD_USER_INPUT',
      'EXAM_NOT_ENDED',
      'UNGRADED_ANSWERS',
      'RESULTS_ALREADY_PUBLISHED',
    ),
  })
  async publishResults(
    @Ctx() ctx: Context,
    @Arg('examId', () => ID, { description: 'The exam whose results are published (Exam.id).' }) examId: string,
  ): Promise<Exam> {
    const exam = await managedExam(ctx, examId, Role.TEACHER, Role.STAFF);
    return (await ctx.services.results.publish(ctx.em, requireUser(ctx), exam, ctx.services.now())).exam;
  }

  @FieldResolver(() => User, {
    nullable: true,
    description:
      "Who published the exam's results: shown to staff and the exam's teacher; null for students and until published.",
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
  @FieldResolver(() => User, {
    nullable: true,
    description: 'Who published or changed the grade; null when that account was removed.',
  })
  actor(@Root() change: GradeChange, @Ctx() ctx: Context): Promise<User | null> | null {
    return change.actor ? loadersOf(ctx).user.load(change.actor.id) : null;
  }
}

/** a graded sitting's grade, if the caller may see it */
async function visibleGrade(ctx: Context, sitting: Sitting): Promise<Grade | null> {
  if (!canSeeGrade(ctx.user, await examOf(ctx.em, sitting), isGradePublished(sitting))) return null;
  if (sitting.gradedBy && !isLoaded(sitting.gradedBy)) await loadersOf(ctx).user.load(sitting.gradedBy.id);
  return GradeService.gradeOf(sitting);
}
