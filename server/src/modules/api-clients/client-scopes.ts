import {
  defaultFieldResolver,
  GraphQLObjectType,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import type { Context } from '../../context';
import { ApiClientRefusedError, MissingScopeError, UnauthenticatedError } from '../../common/errors';
import { logger } from '../../common/logger';
import { ANY_CLIENT, FIELD_SCOPES, PEOPLE_ONLY, ROOT_TYPES, type FieldAccess } from './scopes';

/** What a root field or a listed object field lets API clients do: its scope, any client, or none (not listed). */
export function fieldAccess(typeName: string, fieldName: string): FieldAccess | undefined {
  return FIELD_SCOPES[typeName]?.[fieldName];
}

/**
 * Refuses what an API client may not use, before the field's own role checks: a revoked or unknown API token
 * (UNAUTHENTICATED), a root field without a declared scope or a people-only field (FORBIDDEN), a field whose scope the
 * client lacks (FORBIDDEN, `extensions.missingScope`). People signed in are not affected.
 */
function checkClient(ctx: Context, typeName: string, fieldName: string, access: FieldAccess | undefined): void {
  const client = ctx.apiClient;
  if (client === undefined) return;
  if (ctx.apiClientRefusal) throw ctx.apiClientRefusal;
  if (client === null)
    throw new UnauthenticatedError('This API token is unknown or was revoked; ask staff for a new API client.');
  if (access === ANY_CLIENT) return;
  if (access === undefined || access === PEOPLE_ONLY)
    throw new ApiClientRefusedError(`${typeName}.${fieldName} is for people signed in; API clients may not use it.`);
  if (!client.scopes.has(access))
    throw new MissingScopeError(
      `${typeName}.${fieldName} needs the scope ${access}, which the API client "${client.name}" does not have.`,
      access,
    );
}

/** a client's use of a root field: one JSON line naming the client (never its token) */
function logClientCall(ctx: Context, typeName: string, fieldName: string): void {
  const client = ctx.apiClient;
  if (client)
    logger.info(
      { event: 'api-client-call', apiClient: { id: client.id, name: client.name }, field: `${typeName}.${fieldName}` },
      'API client call',
    );
}

function guard(field: GraphQLField<unknown, Context>, typeName: string, root: boolean): void {
  const access = fieldAccess(typeName, field.name);
  const resolve: GraphQLFieldResolver<unknown, Context> = field.resolve ?? defaultFieldResolver;
  field.resolve = (source, args, ctx, info) => {
    if (ctx.apiClient !== undefined) {
      checkClient(ctx, typeName, field.name, access);
      if (root && typeName !== 'Subscription') logClientCall(ctx, typeName, field.name);
    }
    return resolve(source, args, ctx, info);
  };
  const subscribe = field.subscribe;
  if (subscribe)
    field.subscribe = (source, args, ctx, info) => {
      if (ctx.apiClient !== undefined) {
        checkClient(ctx, typeName, field.name, access);
        logClientCall(ctx, typeName, field.name);
      }
      return subscribe(source, args, ctx, info);
    };
}

/**
 * What a root field's description says about API clients (schema.ts appends it after the field's own text and error
 * codes, so the two are composed in one place): its scope, any client, or refused.
 */
export function clientAccessNote(typeName: string, fieldName: string): string {
  const access = fieldAccess(typeName, fieldName);
  if (access === ANY_CLIENT) return 'API clients: any client may use it.';
  if (access && access !== PEOPLE_ONLY)
    return `API clients: needs the scope \`${access}\` (without it \`FORBIDDEN\`, \`extensions.missingScope\` names it).`;
  return 'API clients: refused (`FORBIDDEN`); for people signed in.';
}

/**
 * Puts the scope check on every root field and on the object fields listed in FIELD_SCOPES, in the schema itself, so
 * it holds for HTTP, WebSocket and pushes alike; for a person's request it costs one property test per guarded field.
 */
export function guardClientScopes(schema: GraphQLSchema): GraphQLSchema {
  for (const typeName of ROOT_TYPES) {
    const type = schema.getType(typeName);
    if (type instanceof GraphQLObjectType)
      for (const field of Object.values(type.getFields()))
        guard(field as GraphQLField<unknown, Context>, typeName, true);
  }
  for (const [typeName, fields] of Object.entries(FIELD_SCOPES)) {
    if ((ROOT_TYPES as readonly string[]).includes(typeName)) continue;
    const type = schema.getType(typeName);
    if (!(type instanceof GraphQLObjectType)) continue;
    for (const fieldName of Object.keys(fields)) {
      const field = type.getFields()[fieldName];
      if (field) guard(field as GraphQLField<unknown, Context>, typeName, false);
    }
  }
  return schema;
}
