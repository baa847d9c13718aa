import { createUnionType, Field, Int, ObjectType } from 'type-graphql';
import { FileRef } from '../files/file-ref.type';

@ObjectType({ description: 'The questions have not been released to this student yet: wait (R5.2).' })
export class QuestionsPending {
  @Field({ description: 'A sentence for the student (in English; the web app shows its own translation) (R5.2).' })
  message!: string;
}

@ObjectType({ description: "The student's ticket with its questions, once released (R5.3, R5.4)." })
export class TicketQuestions {
  @Field(() => Int, { description: "The ticket's number." })
  ticketNumber!: number;

  @Field({ description: 'The questions as staff entered them (plain text, line breaks kept).' })
  questions!: string;

  @Field(() => [FileRef], { description: "The ticket's files, in upload order (R5.4)." })
  files!: FileRef[];

  @Field({ description: 'When the student first viewed them (UTC); staff see the same time.' })
  viewedAt!: Date;
}

export const TicketQuestionsResult = createUnionType({
  name: 'TicketQuestionsResult',
  description: 'What showTicketQuestions gives: the questions, or that they are not released yet.',
  types: () => [QuestionsPending, TicketQuestions] as const,
  resolveType: (value) => ('message' in value ? QuestionsPending : TicketQuestions),
});
