import {
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedDirective,
  isSpecifiedScalarType,
  Kind,
  print,
  printType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { getMetadataStorage } from 'type-graphql';

const ROOT_TYPES = ['Query', 'Mutation', 'Subscription'];
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The fields each type gets from a `@FieldResolver` in a resolver class ("Sitting" → answer, grade, …). They are
 * collected in the order the resolver modules happen to load, so they are printed by name, after the type's own.
 */
export function fieldsFromResolvers(): Map<string, Set<string>> {
  const storage = getMetadataStorage();
  const byType = new Map<string, Set<string>>();
  for (const resolver of storage.fieldResolvers) {
    const target = resolver.getObjectType?.();
    const typeName = [...storage.objectTypes, ...storage.interfaceTypes].find((t) => t.target === target)?.name;
    if (!typeName) continue;
    if (!byType.has(typeName)) byType.set(typeName, new Set());
    byType.get(typeName)!.add(resolver.schemaName);
  }
  return byType;
}

/**
 * schema.graphql in an order that does not depend on which module loaded first: the schema's description, then
 * Query, Mutation and Subscription with their operations by name, then every other type by name. A type's own
 * fields (its class's `@Field`s) keep their declaration order, followed by the fields resolvers add, by name;
 * arguments, input fields, enum values and union members keep their declaration order.
 */
export function printInStableOrder(
  schema: GraphQLSchema,
  resolverFields: Map<string, Set<string>> = fieldsFromResolvers(),
): string {
  const directives = schema.getDirectives().filter((d) => !isSpecifiedDirective(d));
  if (directives.length > 0)
    throw new Error(`schema-order.ts does not print custom directives yet (${directives.map((d) => d.name)})`);
  const types = Object.values(schema.getTypeMap())
    .filter((t) => !isSpecifiedScalarType(t) && !isIntrospectionType(t))
    .sort((a, b) => rank(a.name) - rank(b.name) || byName(a.name, b.name));
  return [schemaDefinition(schema), ...types.map((t) => printType(inStableOrder(t, resolverFields)))]
    .filter(Boolean)
    .join('\n\n');
}

const rank = (name: string) => (ROOT_TYPES.includes(name) ? ROOT_TYPES.indexOf(name) : ROOT_TYPES.length);

/** A view of the type whose getFields() answers in the stable order (printType reads nothing else from it). */
function inStableOrder(type: GraphQLNamedType, resolverFields: Map<string, Set<string>>): GraphQLNamedType {
  if (!isObjectType(type) && !isInterfaceType(type) && !isInputObjectType(type)) return type;
  const fields = type.getFields() as Record<string, unknown>;
  const names = Object.keys(fields);
  let ordered: string[];
  if (ROOT_TYPES.includes(type.name)) ordered = [...names].sort(byName);
  else {
    const added = resolverFields.get(type.name) ?? new Set<string>();
    ordered = [...names.filter((n) => !added.has(n)), ...names.filter((n) => added.has(n)).sort(byName)];
  }
  const view = Object.create(type) as typeof type;
  const reordered = Object.fromEntries(ordered.map((n) => [n, fields[n]]));
  (view as { getFields: () => unknown }).getFields = () => reordered;
  return view;
}

/** printSchema's own schema block: only when the schema has a description (its root types have the usual names). */
function schemaDefinition(schema: GraphQLSchema): string {
  if (schema.description == null) return '';
  const roots = [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
    ['subscription', schema.getSubscriptionType()],
  ] as const;
  const operations = roots.filter(([, t]) => t).map(([op, t]) => `  ${op}: ${t!.name}`);
  const description = print({ kind: Kind.STRING, value: schema.description, block: true });
  return `${description}\nschema {\n${operations.join('\n')}\n}`;
}
