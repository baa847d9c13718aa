import { createUnionType, Field, Int, ObjectType } from 'type-graphql';
import { FileRef } from '../files/file-ref.type';

@ObjectType()
export class QuestionsPending {
  @Field({ description: 'R5.2' }) message!: string;
}

@ObjectType()
export class TicketQuestions {
  @Field(() => Int) ticketNumber!: number;
  @Field() questions!: string;
  @Field(() => [FileRef]) files!: FileRef[];
  @Field() viewedAt!: Date;
}

export const TicketQuestionsResult = createUnionType({
  name: 'TicketQuestionsResult',
  types: () => [QuestionsPending, TicketQuestions] as const,
  resolveType: (value) => ('message' in value ? QuestionsPending : TicketQuestions),
});
