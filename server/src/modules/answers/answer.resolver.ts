import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { FileRef } from '../files/file-ref.type';
import { StoredFile } from '../files/stored-file.entity';
import { Answer } from './answer.entity';

@Resolver(() => Answer)
export class AnswerResolver {
  @FieldResolver(() => [FileRef])
  async files(@Root() answer: Answer, @Ctx() ctx: Context): Promise<FileRef[]> {
    const files = await ctx.em.find(StoredFile, { answer: answer.id }, { orderBy: { createdAt: 'asc' } });
    return files.map((f) => ctx.services.files.toRef(f, ctx.session));
  }
}
