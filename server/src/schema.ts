import 'reflect-metadata';
import { printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { authChecker } from './common/auth';
import { DateTimeScalar } from './common/scalars';
import { AnswerResolver } from './modules/answers/answer.resolver';
import { AcademicYearResolver, PeriodResolver } from './modules/calendar/calendar.resolver';
import { ExamResolver } from './modules/exams/exam.resolver';
import { ExamSubscriptionResolver } from './modules/exams/exam-subscriptions.resolver';
import { JournalResolver } from './modules/journal/journal.resolver';
import { SittingEventResolver, SittingResolver } from './modules/sittings/sitting.resolver';
import { TicketResolver } from './modules/tickets/ticket.resolver';
import { UserResolver } from './modules/users/user.resolver';

let built: Promise<GraphQLSchema> | undefined;

/** One schema for Apollo Server, graphql-ws and the schema.graphql printer. */
export function createSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: [
      UserResolver, AcademicYearResolver, PeriodResolver, ExamResolver, ExamSubscriptionResolver,
      SittingResolver, SittingEventResolver, AnswerResolver, TicketResolver, JournalResolver,
    ],
    authChecker,
    authMode: 'error',
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    validate: false,
    // every subscription brings its own subscribe() (auth, presence, per-exam topic), so this is never reached
    pubSub: {
      publish: () => { throw new Error('publish through ExamEvents'); },
      subscribe: () => { throw new Error('subscriptions declare their own subscribe()'); },
    },
  });
  return built;
}

export async function printedSchema(): Promise<string> {
  return `${printSchema(await createSchema())}\n`;
}
