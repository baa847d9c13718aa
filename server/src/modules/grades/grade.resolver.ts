import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { requireUser } from '../../common/auth';
import { loadersOf } from '../../loaders';
import { isLoaded } from '../../common/loaded';
import { Sitting } from '../sittings/sitting.entity';
import { Role } from '../users/user.entity';
import { GradeService } from './grade.service';
import { Grade } from './grade.type';

/** A sitting's grade: given by the exam's teacher or staff (R7.7). */
@Resolver(() => Sitting)
export class SittingGradeResolver {
  @Authorized(Role.TEACHER, Role.STAFF)
  @Mutation(() => Sitting, { description: 'R7.7: score 0..100' })
  gradeSitting(
    @Ctx() ctx: Context,
    @Arg('sittingId', () => ID) sittingId: string,
    @Arg('score', () => Int) score: number,
    @Arg('comment', () => String, { nullable: true }) comment?: string | null,
  ): Promise<Sitting> {
    return ctx.services.grades.grade(ctx.em, requireUser(ctx), sittingId, score, comment, ctx.services.now());
  }

  @FieldResolver(() => Grade, { nullable: true })
  async grade(@Root() sitting: Sitting, @Ctx() ctx: Context): Promise<Grade | null> {
    if (sitting.gradedBy && !isLoaded(sitting.gradedBy)) await loadersOf(ctx).user.load(sitting.gradedBy.id);
    return GradeService.gradeOf(sitting);
  }
}
