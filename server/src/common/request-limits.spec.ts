import { Lexer, Source, TokenKind, parse, print, validate } from 'graphql';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { ConfigError, loadConfig } from '../config';
import { createSchema } from '../schema';
import { clientOperations } from '../testing/client-operations';
import {
  declaresSubscription,
  inputRefusal,
  limitRules,
  tokenLimitRefusal,
  withoutSuggestions,
} from './request-limits';

const limits = loadConfig({}).requestLimits;

function tokens(query: string): number {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  while (lexer.advance().kind !== TokenKind.EOF) count++;
  return count;
}

describe('request limits', () => {
  it('let every operation of the web app through with room: each measure at most half its limit', async () => {
    const schema = await createSchema();
    const operations = clientOperations();
    expect(operations.length).toBeGreaterThan(30);
    const worst = { depth: 0, aliases: 0, directives: 0, cost: 0, tokens: 0 };
    for (const { name, document } of operations) {
      const measured = { depth: 0, aliases: 0, directives: 0, cost: 0, tokens: tokens(print(document)) };
      const record = (key: keyof typeof measured) => [
        (_: unknown, { n }: { n: number }) => {
          measured[key] = n;
        },
      ];
      // the same rule options as limitRules, with no ceiling, to read what each operation measures
      validate(schema, document, [
        maxDepthRule({ n: Infinity, flattenFragments: true, onAccept: record('depth') }),
        maxAliasesRule({ n: Infinity, allowList: [], onAccept: record('aliases') }),
        maxDirectivesRule({ n: Infinity, onAccept: record('directives') }),
        costLimitRule({ maxCost: Infinity, flattenFragments: true, onAccept: record('cost') }),
      ]);
      expect(validate(schema, document, limitRules(limits)))
        .withContext(name)
        .toEqual([]);
      expect(tokenLimitRefusal(print(document), limits))
        .withContext(name)
        .toBeUndefined();
      for (const key of Object.keys(worst) as (keyof typeof worst)[]) worst[key] = Math.max(worst[key], measured[key]);
    }
    console.log(
      `[request limits] the web app's ${operations.length} operations at worst: ${JSON.stringify(worst)}; limits: ${JSON.stringify(limits)}`,
    );
    expect(worst.depth * 2).toBeLessThanOrEqual(limits.maxDepth);
    expect(worst.aliases * 2).toBeLessThanOrEqual(limits.maxAliases);
    expect(worst.directives * 2).toBeLessThanOrEqual(limits.maxDirectives);
    expect(worst.cost * 2).toBeLessThanOrEqual(limits.maxCost);
    expect(worst.tokens * 2).toBeLessThanOrEqual(limits.maxTokens);
  });

  it('refuse each limit with QUERY_TOO_COMPLEX and a sentence naming its setting', async () => {
    const schema = await createSchema();
    const small = { ...limits, maxDepth: 3, maxAliases: 2, maxDirectives: 1, maxCost: 20 };
    const codes = (query: string) =>
      validate(schema, parse(query), limitRules(small)).map((e) => [e.extensions.code, e.message]);
    expect(codes('{ academicYears { periods { academicYear { title } } } }')).toContain([
      'QUERY_TOO_COMPLEX',
      jasmine.stringMatching(/4 levels deep.*allows 3 \(GRAPHQL_MAX_DEPTH\)/),
    ]);
    expect(codes('{ a: timeZone b: timeZone c: __typename }')).toContain([
      'QUERY_TOO_COMPLEX',
      jasmine.stringMatching(/3 aliases.*GRAPHQL_MAX_ALIASES/),
    ]);
    expect(codes('query($x: Boolean!) { timeZone @include(if: $x) @skip(if: $x) }')).toContain([
      'QUERY_TOO_COMPLEX',
      jasmine.stringMatching(/2 directives.*GRAPHQL_MAX_DIRECTIVES/),
    ]);
    expect(
      codes('{ academicYears { title periods { title number academicYear { title startsOn endsOn } } } }'),
    ).toContain(['QUERY_TOO_COMPLEX', jasmine.stringMatching(/cost .*GRAPHQL_MAX_COST/)]);
    expect(tokenLimitRefusal(`{ ${'timeZone '.repeat(limits.maxTokens)} }`, limits)?.message).toMatch(
      /GRAPHQL_MAX_TOKENS/,
    );
    const closed = validate(
      schema,
      parse('{ __schema { types { name } } }'),
      limitRules({ ...limits, introspection: false }),
    );
    expect(closed.length).toBeGreaterThan(0);
    expect(closed.every((e) => /introspection has been disabled/.test(e.message))).toBeTrue();
    expect(validate(schema, parse('{ __schema { types { name } } }'), limitRules(limits))).toEqual([]);
  });

  it('find a NUL or too deep variables without recursion, however deep the JSON', () => {
    const document = parse('query($v: String) { timeZone }');
    let deep: unknown = 'x\0';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(inputRefusal(document, { v: deep }, limits)?.message).toMatch(/GRAPHQL_MAX_VARIABLE_DEPTH/);
    expect(inputRefusal(document, { v: [[{ a: 'x\0' }]] }, limits)?.message).toMatch(/NUL/);
    expect(inputRefusal(parse('{ exam(id: "a\\u0000") { id } }'), {}, limits)?.message).toMatch(/NUL/);
    expect(inputRefusal(document, { v: [[{ a: 'fine' }]] }, limits)).toBeUndefined();
  });

  it('tell a subscription operation from a field or a name that is merely called so', () => {
    expect(declaresSubscription('subscription { ticketBoardChanged(examId: "1") { id } }')).toBeTrue();
    expect(
      declaresSubscription('query A { timeZone } subscription B($e: ID!) { sittingChanged(examId: $e) { id } }'),
    ).toBeTrue();
    expect(declaresSubscription('query subscription { timeZone }')).toBeFalse();
    expect(declaresSubscription('{ subscription: timeZone }')).toBeFalse();
    expect(
      declaresSubscription('query($subscription: ID) { timeZone } fragment subscription on Query { timeZone }'),
    ).toBeFalse();
    expect(declaresSubscription('# subscription\n{ timeZone }')).toBeFalse();
  });

  it('are settings, validated with a sentence naming the variable', () => {
    const config = loadConfig({
      GRAPHQL_MAX_DEPTH: '7',
      GRAPHQL_MAX_TOKENS: '500',
      GRAPHQL_MAX_BODY_KB: '64',
      GRAPHQL_INTROSPECTION: 'false',
      METRICS_TOKEN: 'x'.repeat(16),
    });
    expect(config.requestLimits).toEqual(
      jasmine.objectContaining({ maxDepth: 7, maxTokens: 500, introspection: false }),
    );
    expect(config.maxRequestBytes).toBe(64 * 1024);
    expect(config.metricsToken).toBe('x'.repeat(16));
    expect(() => loadConfig({ GRAPHQL_MAX_DEPTH: 'deep' })).toThrowError(ConfigError, /GRAPHQL_MAX_DEPTH/);
    expect(() => loadConfig({ GRAPHQL_MAX_COST: '0' })).toThrowError(ConfigError, /GRAPHQL_MAX_COST/);
    expect(() => loadConfig({ GRAPHQL_SUGGESTIONS: 'sometimes' })).toThrowError(ConfigError, /GRAPHQL_SUGGESTIONS/);
    expect(() => loadConfig({ WS_INIT_TIMEOUT_MS: '-1' })).toThrowError(ConfigError, /WS_INIT_TIMEOUT_MS/);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrowError(ConfigError, /METRICS_TOKEN/);
  });

  it('drop "Did you mean" from messages when suggestions are off (production)', () => {
    const production = loadConfig({ NODE_ENV: 'production' }).requestLimits;
    expect(production.suggestions).toBe(false);
    expect(production.introspection).toBe(false);
    expect(limits.introspection).toBe(true);
    const error = { message: 'Cannot query field "tim" on type "Query". Did you mean "timeZone"?' };
    expect(withoutSuggestions(error, production).message).toBe('Cannot query field "tim" on type "Query".');
    expect(withoutSuggestions(error, limits).message).toBe(error.message);
  });
});
