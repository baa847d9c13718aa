import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { hidesStudents, seesBlindCode } from '../../policy/blind.policy';
import { Sitting } from '../sittings/sitting.entity';
import { examOf } from '../sittings/sitting-relations';
import { codeOf } from './blind-view';

/** Blind marking on a sitting: whether its student is hidden from the caller, and its code. */
@Resolver(() => Sitting)
export class SittingBlindResolver {
  @FieldResolver(() => Boolean, {
    description:
      'Blind marking: true when the student is hidden from the caller (a teacher, before the results are published); `student` is then a stand-in named by `blindCode`.',
  })
  async blind(@Root() sitting: Sitting, @Ctx() ctx: Context): Promise<boolean> {
    return hidesStudents(ctx.user, await examOf(ctx.em, sitting));
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "Blind marking: the sitting's code at its exam (e.g. K7M-3Q), stable and unique in the exam; shown to staff and teachers when the exam is marked blind, else null.",
  })
  async blindCode(@Root() sitting: Sitting, @Ctx() ctx: Context): Promise<string | null> {
    const exam = await examOf(ctx.em, sitting);
    if (!seesBlindCode(ctx.user, exam)) return null;
    return codeOf(ctx.em, ctx.services.blindCodes, exam.id, sitting.id);
  }
}
