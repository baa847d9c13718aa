import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { execute, type DocumentNode, type ExecutionArgs, type ExecutionResult, type GraphQLSchema } from 'graphql';

/**
 * Operations compiled once with graphql-jit, then executed as plain JavaScript: a push executed for each of thousands
 * of subscribers (a release: each student's `questionsReleased` is their own sitting) costs a few microseconds of
 * GraphQL instead of graphql-js's walk of the document every time. The same resolvers run — type-graphql's wrappers
 * with the auth checker and every field resolver's visibility rule — so results and errors are graphql-js's (a spec
 * compares both on real pushes).
 *
 * Cached per schema, document object and operation name. The cache holds nothing alive: it is keyed weakly by the
 * document, and documents are the parsed-operation cache's (request-limits.ts: the last 500 operation texts) or a live
 * subscription's, so it is bounded by them. A document graphql-jit cannot compile is remembered as such and
 * runs on graphql-js.
 */
type Compiled = CompiledQuery | null;

const bySchema = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, Compiled>>>();

/** how many operations have been compiled: a spec proves one per document and operation with it */
export const compilations = { count: 0 };

/** the compiled form of `document`'s operation `operationName` (once), or null when graphql-jit cannot compile it */
export function compiledFor(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName?: string | null,
): CompiledQuery | null {
  let byDocument = bySchema.get(schema);
  if (!byDocument) bySchema.set(schema, (byDocument = new WeakMap()));
  let byName = byDocument.get(document);
  if (!byName) byDocument.set(document, (byName = new Map()));
  const key = operationName ?? '';
  let compiled = byName.get(key);
  if (compiled === undefined) {
    compilations.count++;
    const made = compileQuery(schema, document, operationName ?? undefined);
    compiled = isCompiledQuery(made) ? made : null;
    byName.set(key, compiled);
  }
  return compiled;
}

/** graphql-js's `execute`, run by the operation's compiled form where there is one */
export function executeCompiled(args: ExecutionArgs): ExecutionResult | Promise<ExecutionResult> {
  if (args.fieldResolver || args.typeResolver || args.subscribeFieldResolver) return execute(args);
  const compiled = compiledFor(args.schema, args.document, args.operationName);
  if (!compiled) return execute(args);
  return compiled.query(args.rootValue, args.contextValue, args.variableValues ?? {});
}

/**
 * How the WebSocket path executes each push (graphql-ws.ts calls through this object, so a spec can run graphql-js
 * beside it on the same pushes and compare).
 */
export const pushExecution: { execute: (args: ExecutionArgs) => ExecutionResult | Promise<ExecutionResult> } = {
  execute: executeCompiled,
};
