import {
  GraphQLError,
  Kind,
  Lexer,
  OperationTypeNode,
  NoSchemaIntrospectionCustomRule,
  Source,
  TokenKind,
  parse,
  specifiedRules,
  validate,
  visit,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type SelectionNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { BadUserInputError, QueryTooComplexError } from './errors';

/** What one GraphQL operation may ask of the server, alike over HTTP and WebSocket (settings GRAPHQL_*). */
export interface RequestLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  maxCost: number;
  /** how deeply the JSON of `variables` may nest */
  maxVariableDepth: number;
  /** __schema / __type answered */
  introspection: boolean;
  /** "Did you mean …" hints kept in error messages */
  suggestions: boolean;
}

type Limit = 'depth' | 'aliases' | 'directives' | 'cost';

const sentences: Record<Limit, (found: string, limit: number) => string> = {
  depth: (found, limit) =>
    `This operation nests fields ${found} levels deep; the server allows ${limit} (GRAPHQL_MAX_DEPTH). Ask for fewer nested fields.`,
  aliases: (found, limit) =>
    `This operation uses ${found} aliases; the server allows ${limit} (GRAPHQL_MAX_ALIASES). Send fewer aliased fields or split the operation.`,
  directives: (found, limit) =>
    `This operation uses ${found} directives; the server allows ${limit} (GRAPHQL_MAX_DIRECTIVES). Send fewer directives.`,
  cost: (found, limit) =>
    `This operation's estimated cost is ${found}; the server allows ${limit} (GRAPHQL_MAX_COST). Ask for fewer fields or split the operation.`,
};

/** graphql-armor reports "… exceeded, found N."; the refusal carries our code and a sentence naming the setting */
const refuse = (limit: Limit, max: number) => (context: ValidationContext | null, error: GraphQLError) => {
  const measured = /found (\d+(?:\.\d+)?)/.exec(error.message)?.[1];
  const found = measured ? String(Math.ceil(Number(measured))) : `more than ${max}`;
  context?.reportError(new QueryTooComplexError(sentences[limit](found, max)));
};

/**
 * A subscription's root field may not be conditional (as the GraphQL spec's draft and graphql-js 17 say): graphql 16
 * lets `@skip(if: true)` through and then fails inside subscribe() with a TypeError.
 */
const UnconditionalSubscriptionRootRule: ValidationRule = (context) => {
  const conditional = (selections: readonly SelectionNode[], seen: Set<string>): SelectionNode | undefined => {
    for (const selection of selections) {
      if (selection.directives?.some((d) => d.name.value === 'skip' || d.name.value === 'include')) return selection;
      const inner =
        selection.kind === Kind.INLINE_FRAGMENT
          ? selection.selectionSet.selections
          : selection.kind === Kind.FRAGMENT_SPREAD && !seen.has(selection.name.value)
            ? context.getFragment(selection.name.value)?.selectionSet.selections
            : undefined;
      if (selection.kind === Kind.FRAGMENT_SPREAD) seen.add(selection.name.value);
      const found = inner && conditional(inner, seen);
      if (found) return found;
    }
    return undefined;
  };
  return {
    OperationDefinition(operation) {
      const found =
        operation.operation === OperationTypeNode.SUBSCRIPTION
          ? conditional(operation.selectionSet.selections, new Set())
          : undefined;
      if (found)
        context.reportError(
          new GraphQLError("A subscription's root field cannot be conditional; remove @skip or @include from it.", {
            nodes: [found],
          }),
        );
    },
  };
};

/** The validation rules added to graphql's own on both transports: the cost limits, and no introspection when it is off. */
export function limitRules(limits: RequestLimits): ValidationRule[] {
  const common = { propagateOnRejection: false, exposeLimits: true };
  return [
    // fragments count by the fields they hold, not as a level of their own
    maxDepthRule({
      ...common,
      flattenFragments: true,
      n: limits.maxDepth,
      onReject: [refuse('depth', limits.maxDepth)],
    }),
    // __typename is counted too: 100,000 aliases of it are as heavy as any other field
    maxAliasesRule({
      ...common,
      n: limits.maxAliases,
      allowList: [],
      onReject: [refuse('aliases', limits.maxAliases)],
    }),
    maxDirectivesRule({ ...common, n: limits.maxDirectives, onReject: [refuse('directives', limits.maxDirectives)] }),
    costLimitRule({
      ...common,
      flattenFragments: true,
      maxCost: limits.maxCost,
      onReject: [refuse('cost', limits.maxCost)],
    }),
    UnconditionalSubscriptionRootRule,
    ...(limits.introspection ? [] : [NoSchemaIntrospectionCustomRule]),
  ];
}

/**
 * The token limit, checked by lexing at most maxTokens + 1 tokens before anything parses the whole document,
 * so a 2 MB document of aliases costs no more than a short one. A lexing error is left to the parser to report.
 */
export function tokenLimitRefusal(query: string, limits: RequestLimits): QueryTooComplexError | undefined {
  const lexer = new Lexer(new Source(query));
  try {
    for (let count = 0; lexer.advance().kind !== TokenKind.EOF;) {
      if (++count > limits.maxTokens) {
        return new QueryTooComplexError(
          `This operation is longer than ${limits.maxTokens} tokens (GRAPHQL_MAX_TOKENS); send a shorter one.`,
        );
      }
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * true when the document declares a subscription operation: the keyword `subscription` where a definition starts (at
 * the beginning or after a closing brace at the top level). Lexes no further than the token limit allows.
 */
export function declaresSubscription(query: string): boolean {
  const lexer = new Lexer(new Source(query));
  let nesting = 0;
  let definitionStarts = true;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      if (definitionStarts && token.kind === TokenKind.NAME && token.value === 'subscription') return true;
      if (token.kind === TokenKind.BRACE_L || token.kind === TokenKind.PAREN_L) nesting++;
      else if (token.kind === TokenKind.BRACE_R || token.kind === TokenKind.PAREN_R) nesting--;
      definitionStarts = nesting === 0 && token.kind === TokenKind.BRACE_R;
    }
  } catch {
    return false; // a lexing error: the parser reports it
  }
  return false;
}

const nulRefusal = () =>
  new BadUserInputError('Text may not contain the NUL character (\\u0000); remove it and try again.');

/**
 * PostgreSQL cannot store a NUL character, so any argument holding one (inline or a variable, at any depth) is refused
 * up front; variables nested deeper than the limit are refused too. Iterative: deep JSON cannot overflow the stack.
 */
export function inputRefusal(
  document: DocumentNode,
  variables: unknown,
  limits: RequestLimits,
): BadUserInputError | undefined {
  const stack: { value: unknown; depth: number }[] = [{ value: variables, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\0')) return nulRefusal();
    } else if (value !== null && typeof value === 'object') {
      if (depth >= limits.maxVariableDepth) {
        return new BadUserInputError(
          `Variables may nest at most ${limits.maxVariableDepth} levels deep (GRAPHQL_MAX_VARIABLE_DEPTH); send flatter input.`,
        );
      }
      for (const child of Array.isArray(value) ? value : Object.values(value))
        stack.push({ value: child, depth: depth + 1 });
    }
  }
  return holdsNul(document) ? nulRefusal() : undefined;
}

/** per parsed document (Apollo and prepareOperation reuse one document for every request of the same text), walked once */
const nulInDocument = new WeakMap<DocumentNode, boolean>();

function holdsNul(document: DocumentNode): boolean {
  let found = nulInDocument.get(document);
  if (found === undefined) {
    found = false;
    visit(document, {
      StringValue: (node) => {
        if (node.value.includes('\0')) found = true;
      },
    });
    nulInDocument.set(document, found);
  }
  return found;
}

/** "Did you mean …?" names fields and types an anonymous caller has no business learning in production */
export function withoutSuggestions(error: GraphQLFormattedError, limits: RequestLimits): GraphQLFormattedError {
  if (limits.suggestions || !error.message.includes('Did you mean')) return error;
  return { ...error, message: error.message.replace(/ ?Did you mean(.+?)\?/g, '') };
}

export interface OperationPayload {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

/**
 * graphql-ws's onSubscribe: the same limits as Apollo's pipeline, and every refusal returned as errors of that
 * one operation (an `error` message for its id) instead of thrown, which would close the whole socket with 4500.
 */
export function prepareOperation(
  schema: GraphQLSchema,
  limits: RequestLimits,
  payload: OperationPayload,
): ExecutionArgs | GraphQLError[] {
  let bySchema = validDocuments.get(limits);
  if (!bySchema) validDocuments.set(limits, (bySchema = new WeakMap()));
  let known = bySchema.get(schema);
  if (!known) bySchema.set(schema, (known = new Map()));
  const cached = known.get(payload.query);
  if (cached) {
    const refusal = inputRefusal(cached, payload.variables, limits);
    if (refusal) return [refusal];
    return { schema, document: cached, variableValues: payload.variables, operationName: payload.operationName };
  }
  const prepared = parseAndValidate(schema, limits, payload);
  if (!Array.isArray(prepared)) {
    if (known.size >= VALID_DOCUMENTS_KEPT) known.delete(known.keys().next().value!);
    known.set(payload.query, prepared.document);
  }
  return prepared;
}

/**
 * Operations that passed parsing and validation, by their text, per limits and schema (all validation depends on): every
 * socket of a page sends the same few texts, so each is parsed and validated once and its document shared — thousands
 * of subscribers no longer hold thousands of copies of one syntax tree. The oldest is forgotten past this many.
 */
const validDocuments = new WeakMap<RequestLimits, WeakMap<GraphQLSchema, Map<string, DocumentNode>>>();
const VALID_DOCUMENTS_KEPT = 500;

function parseAndValidate(
  schema: GraphQLSchema,
  limits: RequestLimits,
  payload: OperationPayload,
): ExecutionArgs | GraphQLError[] {
  const tooLong = tokenLimitRefusal(payload.query, limits);
  if (tooLong) return [tooLong];
  let document: DocumentNode;
  try {
    document = parse(payload.query, { maxTokens: limits.maxTokens });
  } catch (error) {
    const message = error instanceof Error ? error.message : 'The operation could not be read.';
    return [new GraphQLError(message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
  }
  let errors: readonly GraphQLError[];
  try {
    errors = validate(schema, document, [...specifiedRules, ...limitRules(limits)]);
  } catch (error) {
    // graphql's SingleFieldSubscriptionsRule throws on `@skip(if: $variable)` at a subscription's root
    if (!(error instanceof GraphQLError)) throw error;
    errors = [error];
  }
  if (errors.length > 0) {
    return errors.map((error) =>
      error instanceof QueryTooComplexError
        ? error
        : new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
    );
  }
  const refusal = inputRefusal(document, payload.variables, limits);
  if (refusal) return [refusal];
  return { schema, document, variableValues: payload.variables, operationName: payload.operationName };
}
