import { Ctx, Field, Float, Int, ObjectType, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context';

/** What one answer may hold (the server's settings), so the page shows the limits before they are met. */
@ObjectType()
export class AnswerLimits {
  @Field(() => Int, { description: 'MAX_ANSWER_CHARS: the longest answer text, in UTF-16 code units' })
  maxChars!: number;

  @Field(() => Float, { description: 'MAX_FILE_MB in bytes: the largest file' })
  maxFileBytes!: number;

  @Field(() => Int, { description: 'MAX_FILES_PER_ANSWER' })
  maxFiles!: number;

  @Field(() => Float, { description: 'MAX_ANSWER_MB in bytes: all the files of one answer together' })
  maxTotalBytes!: number;
}

@Resolver()
export class AnswerLimitsResolver {
  @Query(() => AnswerLimits, { description: 'R7.2, R7.4: the limits of an answer, as the server enforces them' })
  answerLimits(@Ctx() ctx: Context): AnswerLimits {
    const { maxAnswerChars, maxFileBytes, maxFilesPerAnswer, maxAnswerBytes } = ctx.services.config;
    return { maxChars: maxAnswerChars, maxFileBytes, maxFiles: maxFilesPerAnswer, maxTotalBytes: maxAnswerBytes };
  }
}
