import 'reflect-metadata';
import { printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { authChecker } from './common/auth';
import { DateTimeScalar } from './common/scalars';
// the order of these imports is the order of the operations and fields in schema.graphql (decorators run on load)
import { AcademicYearResolver, PeriodResolver } from './modules/calendar/calendar.resolver';
import { ExamResolver } from './modules/exams/exam.resolver';
import { SittingSubscriptionResolver } from './modules/sittings/sitting-subscriptions.resolver';
import { TicketSubscriptionResolver } from './modules/tickets/ticket-subscriptions.resolver';
import { ExamSubscriptionResolver } from './modules/exams/exam-subscriptions.resolver';
import { JournalResolver } from './modules/journal/journal.resolver';
import { ExamSittingsResolver, SittingResolver } from './modules/sittings/sitting.resolver';
import { ExamTicketsResolver, SittingTicketResolver, TicketResolver } from './modules/tickets/ticket.resolver';
import { FileResolver } from './modules/files/file.resolver';
import { AnswerResolver, SittingAnswerResolver } from './modules/answers/answer.resolver';
import { AnswerLimitsResolver } from './modules/answers/answer-limits.resolver';
import { SittingSendResolver } from './modules/answers/answer-send.resolver';
import { ExamResultsResolver, GradeChangeResolver, SittingGradeResolver } from './modules/grades/grade.resolver';
import { JournalRowResolver } from './modules/journal/journal.resolver';
import { SittingEventResolver, SittingTrailResolver } from './modules/audit/audit.resolver';
import { UserResolver } from './modules/users/user.resolver';
import { NonWorkingDayResolver } from './modules/calendar/non-working-day.resolver';
import { AppealResolver, ExamAppealResolver, SittingAppealResolver } from './modules/appeals/appeal.resolver';
import { ApiClientResolver } from './modules/api-clients/api-client.resolver';
import { guardClientScopes } from './modules/api-clients/client-scopes';
import { SittingBlindResolver } from './modules/blind/blind.resolver';

let built: Promise<GraphQLSchema> | undefined;

/** One schema for Apollo Server, graphql-ws and the schema.graphql printer. */
export function createSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: [
      UserResolver,
      AcademicYearResolver,
      PeriodResolver,
      ExamResolver,
      SittingSubscriptionResolver,
      TicketSubscriptionResolver,
      ExamSubscriptionResolver,
      ExamSittingsResolver,
      SittingResolver,
      ExamTicketsResolver,
      SittingTicketResolver,
      TicketResolver,
      AnswerResolver,
      SittingAnswerResolver,
      AnswerLimitsResolver,
      SittingSendResolver,
      SittingGradeResolver,
      SittingTrailResolver,
      SittingEventResolver,
      FileResolver,
      JournalResolver,
      ExamResultsResolver,
      GradeChangeResolver,
      JournalRowResolver,
      NonWorkingDayResolver,
      AppealResolver,
      SittingAppealResolver,
      ExamAppealResolver,
      ApiClientResolver,
      SittingBlindResolver,
    ],
    authChecker,
    authMode: 'error',
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    validate: false,
    // every subscription brings its own subscribe() (auth, presence, per-exam topic), so this is never reached
    pubSub: {
      publish: () => {
        throw new Error('publish through ExamEvents');
      },
      subscribe: () => {
        throw new Error('subscriptions declare their own subscribe()');
      },
    },
  }).then(guardClientScopes);
  return built;
}

export async function printedSchema(): Promise<string> {
  return `${printSchema(await createSchema())}\n`;
}
