import { GraphQLError, GraphQLObjectType, GraphQLSchema, GraphQLString, execute, locatedError, parse } from 'graphql';
import { AppError, TicketTakenError } from './errors';
import { locateRootRefusals } from './root-refusals';

/** a schema whose root fields refuse (thrown and rejected), fail unexpectedly, or answer; `inner` refuses one level down */
function refusingSchema(): GraphQLSchema {
  const refuse = () => {
    throw new TicketTakenError('Someone has just taken this ticket.');
  };
  const Inner = new GraphQLObjectType({ name: 'Inner', fields: { refused: { type: GraphQLString, resolve: refuse } } });
  const fields = {
    thrown: { type: GraphQLString, resolve: refuse },
    rejected: { type: GraphQLString, resolve: async () => refuse() },
    fault: { type: GraphQLString, resolve: async () => Promise.reject(new Error('disk on fire')) },
    answered: { type: GraphQLString, resolve: async () => 'yes' },
    inner: { type: Inner, resolve: () => ({}) },
  };
  return new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields }),
    mutation: new GraphQLObjectType({ name: 'Mutation', fields: { thrown: fields.thrown } }),
  });
}

const QUERY = '{ answered\n  thrown\n  rejected fault inner { refused } }';

describe('refusals located at the root field (locateRootRefusals)', () => {
  it("gives the client what graphql-js's own locating gives, without capturing a stack trace", async () => {
    const before = await execute({ schema: refusingSchema(), document: parse(QUERY) });
    const after = await execute({ schema: locateRootRefusals(refusingSchema()), document: parse(QUERY) });
    expect(after.data).toEqual(before.data);
    expect(after.data?.answered).toBe('yes');
    expect(after.errors!.map((e) => e.toJSON())).toEqual(before.errors!.map((e) => e.toJSON()));
    expect(after.errors!.length).toBe(4);

    const byPath = new Map(after.errors!.map((e) => [e.path!.join('.'), e]));
    for (const path of ['thrown', 'rejected']) {
      const error = byPath.get(path)!;
      expect(error.originalError).toBeInstanceOf(TicketTakenError);
      expect(error.extensions.code).toBe('TICKET_TAKEN');
      expect(error.locations).toEqual([{ line: path === 'thrown' ? 2 : 3, column: 3 }]);
      expect(error.stack).not.toContain('\n    at '); // located here: no frames were captured
    }
    // graphql-js still locates an unexpected fault and a refusal below the root, with their stacks as before
    expect(byPath.get('fault')!.originalError?.message).toBe('disk on fire');
    expect(byPath.get('fault')!.stack).toContain('\n    at ');
    expect(byPath.get('inner.refused')!.originalError).toBeInstanceOf(AppError);
    expect(byPath.get('inner.refused')!.stack).toContain('\n    at ');
  });

  it('locates mutations too, and passes an already located refusal on as it is', async () => {
    const schema = locateRootRefusals(refusingSchema());
    const result = await execute({ schema, document: parse('mutation { thrown }') });
    expect(result.errors![0].path).toEqual(['thrown']);
    expect(result.errors![0].originalError).toBeInstanceOf(TicketTakenError);
    expect(result.errors![0].stack).not.toContain('\n    at ');

    const refusal = new TicketTakenError('taken');
    const located = locatedError(refusal, [], ['elsewhere']);
    const passing = new GraphQLSchema({
      query: new GraphQLObjectType({
        name: 'Query',
        fields: { f: { type: GraphQLString, resolve: () => Promise.reject(located) } },
      }),
    });
    const passed = await execute({ schema: locateRootRefusals(passing), document: parse('{ f }') });
    expect(passed.errors![0]).toBe(located);
  });

  it('makes a refusal one error, and locates one thrown by two root fields at each of them', async () => {
    const thrown = new TicketTakenError('taken');
    const refusing = new GraphQLSchema({
      query: new GraphQLObjectType({
        name: 'Query',
        fields: {
          one: {
            type: GraphQLString,
            resolve: () => {
              throw thrown;
            },
          },
        },
      }),
    });
    const alone = await execute({ schema: locateRootRefusals(refusing), document: parse('{ one }') });
    expect(alone.errors![0]).toBe(thrown as unknown as GraphQLError); // located in place: no second error made
    expect(alone.errors![0].originalError).toBe(thrown);

    const shared = new TicketTakenError('over the rate limit'); // as an API client's refusal, on every root field
    const refuse = () => Promise.reject(shared);
    const twice = new GraphQLSchema({
      query: new GraphQLObjectType({
        name: 'Query',
        fields: { a: { type: GraphQLString, resolve: refuse }, b: { type: GraphQLString, resolve: refuse } },
      }),
    });
    const document = parse('{ a\n  b }');
    const before = await execute({ schema: twice, document });
    const after = await execute({ schema: locateRootRefusals(twice), document });
    expect(after.errors!.map((e) => e.toJSON())).toEqual(before.errors!.map((e) => e.toJSON()));
    expect(after.errors!.map((e) => [e.path, e.locations])).toEqual([
      [['a'], [{ line: 1, column: 3 }]],
      [['b'], [{ line: 2, column: 3 }]],
    ]);
    expect(after.errors!.every((e) => e.originalError === shared)).toBeTrue();
  });
});
