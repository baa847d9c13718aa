import { type EntityManager, Utils, wrap } from '@mikro-orm/core';
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { requireUser } from '../../common/auth';
import { withErrorCodes } from '../../common/errors';
import { BatchLoader, groupBy } from '../../common/batch-loader';
import type { Context } from '../../context';
import { isPlainRead } from '../../common/loaded';
import { loadersOf } from '../../loaders';
import { canSeeExam } from '../../policy/exam.policy';
import { Exam } from '../exams/exam.entity';
import { Sitting } from '../sittings/sitting.entity';
import { Role } from '../users/user.entity';
import { resultsOut } from '../grades/grade-publication';
import { RetakeInput } from './retake.inputs';

const SHOWN = ['period.academicYear', 'discipline', 'teacher'] as const;

/** the exams a list's retake links name, each read once per operation with what a list shows of it */
class RetakeLoaders {
  constructor(private readonly em: EntityManager) {}

  readonly exam = new BatchLoader<string, Exam | null>(async (ids) => {
    const exams = await this.em.find(Exam, { id: { $in: ids } }, { populate: SHOWN });
    return new Map(exams.map((e) => [e.id, e]));
  }, null);

  readonly retakesOf = new BatchLoader<string, Exam[]>(async (ids) => {
    const exams = await this.em.find(
      Exam,
      { retakeOf: { $in: ids } },
      { populate: SHOWN, orderBy: { startsAt: 'asc', id: 'asc' } },
    );
    return groupBy(exams, (e) => e.retakeOf!.id);
  }, []);
}

const byEntityManager = new WeakMap<EntityManager, RetakeLoaders>();
function retakeLoaders(ctx: Context): RetakeLoaders {
  let loaders = byEntityManager.get(ctx.em);
  if (!loaders) byEntityManager.set(ctx.em, (loaders = new RetakeLoaders(ctx.em)));
  return loaders;
}

/** a managed entity already read in this operation (e.g. joined by an exam list), not a plain read's bare id */
const inHand = (entity: object | null | undefined): boolean =>
  !!entity && !isPlainRead(entity) && Utils.isEntity(entity) && wrap(entity, true).isInitialized();

/** a linked exam shows only to whoever may see it: staff, its teacher, a student enrolled at it */
async function mayView(ctx: Context, exam: Exam): Promise<boolean> {
  const user = ctx.user;
  if (user?.role !== Role.STUDENT) return canSeeExam(user, exam, false);
  return canSeeExam(user, exam, (await loadersOf(ctx).ownSitting.load(exam.id)) != null);
}

/** E6: retakes of an exam for its FX students, and the links between an exam and its retakes. */
@Resolver(() => Exam)
export class RetakeResolver {
  @Authorized(Role.STAFF)
  @Mutation(() => Exam, {
    description: withErrorCodes(
      "Staff create a retake of the exam (E6) for the students whose published final grade is FX (25–49) and who are not in a retake of it yet: new date, times and (optionally) teacher, everything else copied from the exam (tickets and their files, task, platform, resultsRelease, blindMarking). Only once the exam's results are out (published; an AT_ONCE exam: ended).",
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'BAD_USER_INPUT',
      'RESULTS_NOT_PUBLISHED',
      'NO_FX_STUDENTS',
      'RETAKE_EXISTS',
      'RETAKE_OF_RETAKE',
    ),
  })
  createRetake(
    @Ctx() ctx: Context,
    @Arg('examId', () => ID, { description: 'The exam whose FX students retake it (Exam.id).' }) examId: string,
    @Arg('input', () => RetakeInput, { description: "The retake's times and teacher." }) input: RetakeInput,
  ): Promise<Exam> {
    return ctx.services.retakes.create(ctx.em, requireUser(ctx), examId, input, ctx.services.now());
  }

  @FieldResolver(() => Exam, {
    nullable: true,
    description: 'E6: the exam this one is a retake of; null for an ordinary exam, or when the caller may not see it',
  })
  async retakeOf(@Root() exam: Exam, @Ctx() ctx: Context): Promise<Exam | null> {
    const id = exam.retakeOf?.id;
    if (!id) return null;
    // the original is often in the same list (the identity map's instance): no statement then
    const original = inHand(exam.retakeOf) ? exam.retakeOf! : await retakeLoaders(ctx).exam.load(id);
    return original && (await mayView(ctx, original)) ? original : null;
  }

  @FieldResolver(() => [Exam], {
    description: 'E6: the retakes of this exam that the caller may see (a student: the ones they are enrolled in)',
  })
  async retakes(@Root() exam: Exam, @Ctx() ctx: Context): Promise<Exam[]> {
    // the exam lists join them (ExamResolver's LIST); elsewhere one batched statement per operation
    const retakes =
      !isPlainRead(exam) && exam.retakes.isInitialized()
        ? [...exam.retakes].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.id.localeCompare(b.id))
        : await retakeLoaders(ctx).retakesOf.load(exam.id);
    const visible = await Promise.all(retakes.map((retake) => mayView(ctx, retake)));
    return retakes.filter((_, i) => visible[i]);
  }

  @FieldResolver(() => [Sitting], {
    nullable: true,
    description:
      'E6, staff: the sittings (students, final grades) a retake created now would enrol; empty when none could be (results not published, a retake itself); null for others',
  })
  async retakeCandidates(@Root() exam: Exam, @Ctx() ctx: Context): Promise<Sitting[] | null> {
    if (ctx.user?.role !== Role.STAFF) return null;
    if (exam.retakeOf || !resultsOut(exam, ctx.services.now())) return [];
    return (await ctx.services.retakes.candidates(ctx.em, exam)).toEnrol;
  }
}
