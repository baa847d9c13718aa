import fs from 'node:fs';
import path from 'node:path';
import {
  buildSchema,
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  isUnionType,
  parse,
  type GraphQLNamedType,
} from 'graphql';
import { Arg, getMetadataStorage, Int } from 'type-graphql';
import { ERROR_CODE_MEANINGS, REQUEST_ERROR_MEANINGS } from './common/errors';
import { createSchema, printedSchema, sortArgumentsByDeclaration } from './schema';
import { printInStableOrder } from './schema-order';

const root = path.resolve(__dirname, '../..');

/** Every type, field, argument, input field and enum value without a description, as `Type.field(arg)`. */
function undocumented(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const need = (what: string, description: string | null | undefined) => {
    if (!description?.trim()) missing.push(what);
    else if (!saysSomething(description)) missing.push(`${what} (only "${description}")`);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    need(type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        need(`${type.name}.${field.name}`, field.description);
        for (const arg of field.args) need(`${type.name}.${field.name}(${arg.name})`, arg.description);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) need(`${type.name}.${field.name}`, field.description);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) need(`${type.name}.${value.name}`, value.description);
    }
  }
  return missing;
}

/**
 * More than requirement ids and names: at least two words once "R7.7" and the like are taken out, and once the lines
 * added for every field are (its error codes, and on a root field what API clients need), which say nothing of it.
 */
function saysSomething(description: string): boolean {
  const own = description
    .split('\n')
    .filter((line) => !/^(Error codes|API clients): /.test(line))
    .join('\n');
  const words = own.replace(/\bR\d+(\.\d+)*\b/g, ' ').match(/[\p{L}]{2,}/gu) ?? [];
  return words.length >= 2;
}

/** The codes listed on a field ("Error codes: `A`, `B`."), or null when it lists none. */
function listedCodes(description: string | null | undefined): string[] | null {
  const line = /^Error codes: ((?:`[A-Z_]+`(?:, )?)+)\.$/m.exec(description ?? '');
  return line ? [...line[1].matchAll(/`([A-Z_]+)`/g)].map((m) => m[1]) : null;
}

/** Not a resolver (no @Query): only here to show the order in which type-graphql records @Args. */
class ArgumentOrderProbe {
  probe(
    @Arg('first', () => Int) first: number,
    @Arg('second', () => Int) second: number,
    @Arg('third', () => Int) third: number,
  ): number {
    return first + second + third;
  }
}
const probeArgs = () =>
  getMetadataStorage()
    .params.filter((p) => p.target === ArgumentOrderProbe)
    .map((p) => (p as { name: string }).name);
// read as the class is declared, before any schema build sorts the list
const recordedOrder = probeArgs();

describe('the schema as a product', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => (schema = await createSchema()));

  describe('descriptions', () => {
    it('describe every type, field, argument, input field and enum value in words (not a bare requirement id)', () => {
      const missing = undocumented(schema);
      expect(missing.length)
        .withContext(
          `${missing.length} without a description; give each a \`description\` where it is declared ` +
            `(@ObjectType / @InputType / @Field / @Arg / registerEnumType valuesConfig / createUnionType):\n  ` +
            `${missing.join('\n  ')}\n`,
        )
        .toBe(0);
    });

    it('are checked by a rule that finds what lacks one', () => {
      const bare = buildSchema(`
        "A described type" type Query { "Two words" a(x: Int): Kind  b: Int  "R7.7" c: Int }
        enum Kind { "Both described" ONE TWO }
        input In { y: Int }
        type Mutation {
          d(i: In): Int
          """
          Error codes: NOT_FOUND.

          API clients: any client may use it.
          """
          e: Int
        }
      `);
      expect(undocumented(bare)).toEqual([
        'Query.a(x)',
        'Query.b',
        'Query.c (only "R7.7")',
        'Kind',
        'Kind.TWO',
        'In',
        'In.y',
        'Mutation',
        'Mutation.d',
        'Mutation.d(i)',
        'Mutation.e (only "Error codes: NOT_FOUND.\n\nAPI clients: any client may use it.")',
      ]);
    });
  });

  describe('error codes', () => {
    const known = new Set(Object.keys(ERROR_CODE_MEANINGS));

    it('are listed on every mutation and subscription, each a code of common/errors.ts', () => {
      const unlisted: string[] = [];
      const unknown: string[] = [];
      for (const root of [schema.getMutationType()!, schema.getSubscriptionType()!]) {
        for (const field of Object.values(root.getFields())) {
          const codes = listedCodes(field.description);
          if (!codes) unlisted.push(`${root.name}.${field.name}`);
          else for (const code of codes) if (!known.has(code)) unknown.push(`${root.name}.${field.name}: ${code}`);
        }
      }
      expect(unlisted)
        .withContext('describe them with withErrorCodes(text, ...codes) from server/src/common/errors.ts')
        .toEqual([]);
      expect(unknown).toEqual([]);
    });

    it("are explained, every one, in the schema's own description", () => {
      for (const code of [...known, ...Object.keys(REQUEST_ERROR_MEANINGS)])
        expect(schema.description).toContain(`- \`${code}\`: `);
    });

    it('are listed, every one, in the README (API in brief)', () => {
      const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
      const brief = readme.slice(readme.indexOf('## API in brief'), readme.indexOf('### Files (plain HTTP'));
      const absent = [...known, ...Object.keys(REQUEST_ERROR_MEANINGS)].filter((c) => !brief.includes(`\`${c}\``));
      expect(absent).withContext('add them to the codes list in README.md, "API in brief"').toEqual([]);
    });
  });

  describe('argument order', () => {
    it('is the order the parameters are declared in (addTicket(examId, number, questions))', () => {
      const mutations = schema.getMutationType()!.getFields();
      const args = (name: string) => mutations[name].args.map((a) => a.name);
      expect(args('addTicket')).toEqual(['examId', 'number', 'questions']);
      expect(args('updateExam')).toEqual(['id', 'input', 'confirmStarted']);
      expect(args('gradeSitting')).toEqual(['sittingId', 'score', 'comment']);
      const printed = fs.readFileSync(path.join(root, 'schema.graphql'), 'utf8');
      expect(printed).toContain('addTicket(\n    """The exam (Exam.id)."""\n    examId: ID!');
    });

    it('needs the sort: TypeScript runs parameter decorators last to first, and type-graphql keeps that order', () => {
      expect(recordedOrder).toEqual(['third', 'second', 'first']);
      sortArgumentsByDeclaration();
      expect(probeArgs()).toEqual(['first', 'second', 'third']);
    });

    it('is the declaration order for every operation and field of every resolver', () => {
      const storage = getMetadataStorage();
      const roots = [
        [schema.getQueryType()!, storage.queries],
        [schema.getMutationType()!, storage.mutations],
        [schema.getSubscriptionType()!, storage.subscriptions],
      ] as const;
      let compared = 0;
      for (const [type, handlers] of roots) {
        for (const handler of handlers) {
          const declared = (handler.params ?? [])
            .filter((p) => p.kind === 'arg')
            .sort((a, b) => a.index - b.index)
            .map((p) => (p as { name: string }).name);
          expect(type.getFields()[handler.schemaName].args.map((a) => a.name))
            .withContext(`${type.name}.${handler.schemaName}`)
            .toEqual(declared);
          if (declared.length > 1) compared++;
        }
      }
      expect(compared).toBeGreaterThan(10);
    });
  });

  describe('printed order (schema.graphql)', () => {
    const typeOrder = (sdl: string) =>
      parse(sdl)
        .definitions.filter((d) => 'name' in d && d.name)
        .map((d) => (d as { name: { value: string } }).name.value);

    it('puts Query, Mutation and Subscription first, then every type by name', async () => {
      const names = typeOrder(await printedSchema());
      expect(names.slice(0, 3)).toEqual(['Query', 'Mutation', 'Subscription']);
      expect(names.slice(3)).toEqual([...names.slice(3)].sort());
    });

    it('lists the operations by name, and a type’s own fields before the ones resolvers add', async () => {
      const printed = buildSchema(await printedSchema());
      const mutations = Object.keys(printed.getMutationType()!.getFields());
      expect(mutations).toEqual([...mutations].sort());
      const sitting = Object.keys(
        (printed.getType('Sitting') as GraphQLNamedType & { getFields(): object }).getFields(),
      );
      expect(sitting.slice(0, 6)).toEqual([
        'id',
        'enteredAt',
        'lastSeenAt',
        'questionsReleasedAt',
        'questionsViewedAt',
        'gradePublishedAt',
      ]);
      expect(sitting.slice(6)).toEqual([...sitting.slice(6)].sort());
      expect(Object.keys((printed.getType('User') as GraphQLNamedType & { getFields(): object }).getFields())).toEqual([
        'id',
        'login',
        'fullName',
        'role',
      ]);
    });

    it('does not depend on the order the types were collected in', async () => {
      const config = schema.toConfig();
      const shuffled = new GraphQLSchema({ ...config, types: [...config.types].reverse() });
      expect(Object.keys(shuffled.getTypeMap())).not.toEqual(Object.keys(schema.getTypeMap()));
      expect(printInStableOrder(shuffled)).toEqual(printInStableOrder(schema));
    });

    it('keeps enum values and union members in declaration order', async () => {
      const printed = await printedSchema();
      expect(printed).toMatch(/enum Role \{[^}]*STUDENT[^}]*TEACHER[^}]*STAFF/);
      expect(printed).toContain('union TicketQuestionsResult = QuestionsPending | TicketQuestions');
      expect(isUnionType(schema.getType('TicketQuestionsResult'))).toBeTrue();
    });
  });
});
