import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { requireUser } from '../../common/auth';
import { withErrorCodes } from '../../common/errors';
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
  @Mutation(() => Sitting, {
    description: withErrorCodes(
      "The exam's teacher or staff grade a sitting (R7.7) once its answer is sent or the student's end has passed; grading again replaces the grade. The grade reaches the student and the journal at once.",
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'BAD_USER_INPUT',
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

  @FieldResolver(() => Grade, { nullable: true, description: 'The grade; null until graded (R2.5).' })
  async grade(@Root() sitting: Sitting, @Ctx() ctx: Context): Promise<Grade | null> {
    if (sitting.gradedBy && !isLoaded(sitting.gradedBy)) await loadersOf(ctx).user.load(sitting.gradedBy.id);
    return GradeService.gradeOf(sitting);
  }
}
