import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { loadersOf } from '../../loaders';
import { related } from '../../common/loaded';
import { FileRef } from '../files/file-ref.type';
import { Answer, AnswerStatus } from './answer.entity';

@Resolver(() => Answer)
export class AnswerResolver {
  @FieldResolver(() => [FileRef], { description: 'the author\'s always; others see a draft\'s files never (R7.4), a sent answer\'s where they may see the answer' })
  async files(@Root() answer: Answer, @Ctx() ctx: Context): Promise<FileRef[]> {
    if (answer.status !== AnswerStatus.SUBMITTED) {
      if ((await related(ctx.em, answer, 'sitting')).student.id !== ctx.user?.id) return [];
    }
    const files = await loadersOf(ctx).files('answer').load(answer.id);
    return files.map((f) => ctx.services.files.toRef(f, ctx.session));
  }
}
