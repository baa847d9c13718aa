import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { FileRef } from '../files/file-ref.type';
import { StoredFile } from '../files/stored-file.entity';
import { Answer, AnswerStatus } from './answer.entity';

@Resolver(() => Answer)
export class AnswerResolver {
  @FieldResolver(() => [FileRef], { description: 'the author\'s always; others see a draft\'s files never (R7.4), a sent answer\'s where they may see the answer' })
  async files(@Root() answer: Answer, @Ctx() ctx: Context): Promise<FileRef[]> {
    if (answer.status !== AnswerStatus.SUBMITTED) {
      await ctx.em.populate(answer, ['sitting']);
      if (answer.sitting.student.id !== ctx.user?.id) return [];
    }
    const files = await ctx.em.find(StoredFile, { answer: answer.id }, { orderBy: { createdAt: 'asc' } });
    return files.map((f) => ctx.services.files.toRef(f, ctx.session));
  }
}
