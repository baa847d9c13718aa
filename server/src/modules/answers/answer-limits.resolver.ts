import { Ctx, Field, Float, Int, ObjectType, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context';

/** What one answer may hold (the server's settings), so the page shows the limits before they are met. */
@ObjectType({ description: "What one answer may hold: the server's settings, as it enforces them." })
export class AnswerLimits {
  @Field(() => Int, { description: 'The longest answer text, in UTF-16 code units (MAX_ANSWER_CHARS).' })
  maxChars!: number;

  @Field(() => Float, { description: 'The largest file, in bytes (MAX_FILE_MB).' })
  maxFileBytes!: number;

  @Field(() => Int, { description: 'How many files one answer may hold (MAX_FILES_PER_ANSWER).' })
  maxFiles!: number;

  @Field(() => Float, { description: 'All the files of one answer together, in bytes (MAX_ANSWER_MB).' })
  maxTotalBytes!: number;
}

@Resolver()
export class AnswerLimitsResolver {
  @Query(() => AnswerLimits, {
    description: 'The limits of one answer, so a page shows them before they are met (R7.2, R7.4); open to anyone.',
  })
  answerLimits(@Ctx() ctx: Context): AnswerLimits {
    const { maxAnswerChars, maxFileBytes, maxFilesPerAnswer, maxAnswerBytes } = ctx.services.config;
    return { maxChars: maxAnswerChars, maxFileBytes, maxFiles: maxFilesPerAnswer, maxTotalBytes: maxAnswerBytes };
  }
}
