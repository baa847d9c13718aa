import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema, getMetadataStorage, type BuildSchemaOptions } from 'type-graphql';
import { authChecker } from './common/auth';
import { bindDirectResolvers, ResolverInstances, type DirectBindings } from './common/direct-resolvers';
import { errorCodesDescription } from './common/errors';
import { locateRootRefusals } from './common/root-refusals';
import { printInStableOrder } from './schema-order';
import { DateTimeScalar } from './common/scalars';
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
import { AuditTrailResolver, SittingEventResolver, SittingTrailResolver } from './modules/audit/audit.resolver';
import { UserResolver } from './modules/users/user.resolver';
import { NonWorkingDayResolver } from './modules/calendar/non-working-day.resolver';
import { AppealResolver, ExamAppealResolver, SittingAppealResolver } from './modules/appeals/appeal.resolver';
import { ApiClientResolver } from './modules/api-clients/api-client.resolver';
import { GradeFeedResolver } from './modules/grade-feed/grade-feed.resolver';
import { ApiClientWebhooksResolver, WebhookEndpointResolver } from './modules/webhooks/webhook.resolver';
import { ScheduleImportResolver } from './modules/schedule-import/schedule-import.resolver';
import { clientAccessNote, guardClientScopes } from './modules/api-clients/client-scopes';
import { RetakeResolver } from './modules/retakes/retake.resolver';
import { JournalAttemptResolver } from './modules/journal/journal-attempts';
import { SittingBlindResolver } from './modules/blind/blind.resolver';

const resolvers = [
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
  RetakeResolver,
  JournalAttemptResolver,
  GradeFeedResolver,
  ApiClientWebhooksResolver,
  WebhookEndpointResolver,
  ScheduleImportResolver,
  SittingBlindResolver,
  AuditTrailResolver,
] as const;

let built: Promise<GraphQLSchema> | undefined;
/** which fields run without type-graphql's per-call wrapper (direct-resolvers.ts); a spec checks the push's are */
export let directBindings: DirectBindings | undefined;

/** One schema for Apollo Server, graphql-ws and the schema.graphql printer. */
export function createSchema(): Promise<GraphQLSchema> {
  built ??= build(true);
  return built;
}

/** the same schema with every resolver behind type-graphql's own wrapper: what a spec compares the direct bindings with */
export const schemaWithoutDirectResolvers = (): Promise<GraphQLSchema> => build(false);

/**
 * TypeScript runs parameter decorators from the last parameter to the first, and type-graphql keeps its `@Arg`s in
 * that order (it reverses its directive and extension lists in `build()`, not its params): without this sort
 * `addTicket(examId, number, questions)` would be published as `addTicket(questions, number, examId)`. A stable sort
 * by parameter index puts each method's arguments in declaration order; resolvers are unaffected (type-graphql
 * passes the arguments to a method by index).
 */
export function sortArgumentsByDeclaration(): void {
  getMetadataStorage().params.sort((a, b) => a.index - b.index);
}

async function build(direct: boolean): Promise<GraphQLSchema> {
  sortArgumentsByDeclaration();
  const options = {
    resolvers,
    container: new ResolverInstances(),
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
  } satisfies BuildSchemaOptions;
  const schema = await buildSchema(options);
  if (direct) directBindings = bindDirectResolvers(schema, options);
  guardClientScopes(schema);
  locateRootRefusals(schema);
  describeRoots(schema);
  return schema;
}

/**
 * The one place where a root field's published description is composed: the text and `Error codes: …` line of its
 * decorator (withErrorCodes), then what API clients need to use it (FIELD_SCOPES, via clientAccessNote). It also
 * describes the schema and its root types, which type-graphql cannot (graphql-js keeps them as plain properties).
 */
function describeRoots(schema: GraphQLSchema): void {
  schema.description = errorCodesDescription();
  const query = schema.getQueryType();
  const mutation = schema.getMutationType();
  const subscription = schema.getSubscriptionType();
  if (query)
    query.description =
      'Reads. Each field says who may call it; a field that is not open to the caller is refused (see the schema description) or null where its description says so.';
  if (mutation)
    mutation.description =
      'Changes. Each lists the error codes it may return; every rule is checked by the server against its own clock.';
  if (subscription)
    subscription.description =
      'Pushes over graphql-ws on /graphql (connectionParams: { authorization: "Bearer <token>" }); each push is sent after its change has committed.';
  for (const root of [query, mutation, subscription])
    for (const field of Object.values(root?.getFields() ?? {})) {
      const note = clientAccessNote(root!.name, field.name);
      field.description = field.description ? `${field.description}\n\n${note}` : note;
    }
}

/** schema.graphql: types, fields, arguments and enum values in the stable order of schema-order.ts. */
export async function printedSchema(): Promise<string> {
  return `${printInStableOrder(await createSchema())}\n`;
}
