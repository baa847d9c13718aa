import fc from 'fast-check';
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

/** One generated operation: the document, its variables, and whether it must go over WebSocket (a subscription). */
export interface GeneratedOperation {
  query: string;
  variables: Record<string, unknown>;
  kind: 'query' | 'mutation' | 'subscription';
}

/** Fields whose every call is slow on purpose (password hashing) or ends the session the fuzz runs in. */
const SKIPPED_FIELDS = new Set(['login', 'logout']);

/** Values that are awkward in their own way: empty, long, control and bidi characters, a NUL, SQL, emoji. */
const STRINGS = [
  '',
  'Жауап',
  'a'.repeat(3000),
  'x\u0000y',
  'отчёт\u202efdp.exe',
  '\u200b',
  "'; drop table exam; --",
  '😀\ud800',
  '\\',
  '"',
  '<script>alert(1)</script>',
  '  ',
];
const INTS = [0, 1, -1, 7, 100, 2147483647, -2147483648];
const FLOATS = [0, -0.5, 1e308, 3.14];
const DATES = ['2026-12-02', '2026-13-45', 'tomorrow', ''];
const DATETIMES = [
  '2026-12-02T10:00:00Z',
  '2026-12-02T10:00:00+05:00',
  '1970-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  'now',
  '2026-02-30T25:61:00Z',
];

/** Decisions drawn from a tape of random numbers that fast-check generates (and reports, so a case can be replayed). */
class Tape {
  private at = 0;
  constructor(private readonly numbers: number[]) {}
  below(n: number): number {
    const value = this.numbers[this.at % this.numbers.length] + Math.floor(this.at / this.numbers.length);
    this.at++;
    return n <= 0 ? 0 : value % n;
  }
  chance(percent: number): boolean {
    return this.below(100) < percent;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)];
  }
}

/** Builds operations from the schema: random fields, arguments (literal or variable, right or wrong type), aliases, fragments, directives and nesting. */
class OperationBuilder {
  private variables: Record<string, unknown> = {};
  private declarations: string[] = [];
  private names = 0;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly tape: Tape,
    private readonly ids: readonly string[],
  ) {}

  build(kind: GeneratedOperation['kind']): GeneratedOperation {
    const root =
      kind === 'query'
        ? this.schema.getQueryType()
        : kind === 'mutation'
          ? this.schema.getMutationType()
          : this.schema.getSubscriptionType();
    const selection = this.selectionSet(root!, 0, kind === 'subscription' ? 1 : 1 + this.tape.below(3));
    const header =
      this.declarations.length > 0
        ? `${kind} Fuzz(${this.declarations.join(', ')}) `
        : this.tape.chance(50)
          ? `${kind} `
          : kind === 'query'
            ? ''
            : `${kind} `;
    return { query: `${header}${selection}`, variables: this.variables, kind };
  }

  private selectionSet(type: GraphQLObjectType, depth: number, count = 1 + this.tape.below(3)): string {
    const fields = Object.values(type.getFields()).filter((f) => !SKIPPED_FIELDS.has(f.name));
    const parts: string[] = [];
    for (let i = 0; i < count; i++) {
      if (this.tape.chance(3))
        parts.push('nope'); // a field that does not exist
      else if (this.tape.chance(8) && depth > 0) parts.push('__typename');
      else parts.push(this.field(this.tape.pick(fields), depth));
    }
    return `{ ${parts.join(' ')} }`;
  }

  private field(field: GraphQLField<unknown, unknown>, depth: number): string {
    const alias = this.tape.chance(15) ? `a${this.names++}: ` : '';
    const args = field.args.filter((a) => isNonNullType(a.type) || this.tape.chance(50)).map((a) => this.argument(a));
    const directive = this.tape.chance(4) ? this.directive() : '';
    const named = getNamedType(field.type);
    let selection = '';
    if (!isLeafType(named)) {
      // deeper and deeper with falling odds, now and then past the depth limit
      const deeper = depth < 14 && this.tape.chance(depth < 4 ? 85 : 60);
      selection = deeper ? this.subSelection(named, depth + 1) : '{ __typename }';
    } else if (this.tape.chance(2)) {
      selection = '{ id }'; // a selection on a leaf: invalid
    }
    return `${alias}${field.name}${args.length ? `(${args.join(', ')})` : ''}${directive} ${selection}`;
  }

  private subSelection(type: GraphQLNamedType, depth: number): string {
    if (isObjectType(type)) return this.selectionSet(type, depth);
    if (isUnionType(type) || isInterfaceType(type)) {
      const possible = this.schema.getPossibleTypes(type);
      const fragments = possible
        .filter(() => this.tape.chance(60))
        .map((t) => `... on ${t.name} ${this.selectionSet(t, depth)}`);
      return `{ __typename ${fragments.join(' ')} }`;
    }
    return '';
  }

  private directive(): string {
    if (this.tape.chance(50)) return ` @include(if: ${this.tape.chance(50)})`;
    const name = `d${this.names++}`;
    this.declarations.push(`$${name}: Boolean!`);
    this.variables[name] = this.tape.chance(80) ? this.tape.chance(50) : 'yes';
    return ` @skip(if: $${name})`;
  }

  private argument(arg: GraphQLArgument): string {
    if (this.tape.chance(35)) {
      const name = `v${this.names++}`;
      this.declarations.push(`$${name}: ${this.tape.chance(92) ? String(arg.type) : 'Int'}`);
      if (!this.tape.chance(5)) this.variables[name] = this.value(arg.type, 0);
      return `${arg.name}: $${name}`;
    }
    return `${arg.name}: ${literal(this.tape.chance(6) ? this.wrongValue() : this.value(arg.type, 0), arg.type)}`;
  }

  private wrongValue(): unknown {
    return this.tape.pick<unknown>([null, 12, 'text', true, [1, 2], { a: 1 }, 1.5]);
  }

  /** a JSON value for an input type, usually of the right shape */
  private value(type: GraphQLInputType, depth: number): unknown {
    if (this.tape.chance(4)) return this.wrongValue();
    if (isNonNullType(type)) return this.value(type.ofType, depth);
    if (this.tape.chance(5)) return null;
    if (isListType(type)) {
      const length = this.tape.below(4);
      return Array.from({ length }, () => this.value(type.ofType, depth + 1));
    }
    if (isEnumType(type)) return this.tape.chance(90) ? this.tape.pick(type.getValues()).value : 'NOPE';
    if (isInputObjectType(type)) {
      const result: Record<string, unknown> = {};
      for (const field of Object.values(type.getFields())) {
        if (isNonNullType(field.type) || this.tape.chance(50))
          result[field.name] = depth > 6 ? null : this.value(field.type, depth + 1);
      }
      return result;
    }
    if (isScalarType(type)) {
      switch (type.name) {
        case 'ID':
          return this.tape.chance(70) && this.ids.length
            ? this.tape.pick(this.ids)
            : this.tape.pick(['', '0', 'not-a-uuid', '00000000-0000-0000-0000-000000000000', 'x'.repeat(500)]);
        case 'Int':
          return this.tape.pick(INTS);
        case 'Float':
          return this.tape.pick(FLOATS);
        case 'Boolean':
          return this.tape.chance(50);
        case 'Date':
          return this.tape.pick(DATES);
        case 'DateTime':
          return this.tape.pick(DATETIMES);
        default:
          return this.tape.pick(STRINGS);
      }
    }
    return null;
  }
}

/** A GraphQL literal for a JSON value; enums print bare when the type says so. */
function literal(value: unknown, type: GraphQLInputType): string {
  const named = getNamedType(type);
  const inner = getNullableType(type);
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value))
    return `[${value.map((v) => literal(v, isListType(inner) ? inner.ofType : type)).join(', ')}]`;
  if (typeof value === 'object') {
    const fields = isInputObjectType(named) ? named.getFields() : {};
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${k}: ${literal(v, fields[k]?.type ?? type)}`)
      .join(', ')} }`;
  }
  if (typeof value === 'string' && isEnumType(named) && /^[A-Z_]+$/.test(value)) return value;
  return JSON.stringify(value);
}

/** fast-check arbitrary of operations built from the schema; `ids` are real ids to reach past "not found". */
export function operationArbitrary(
  schema: GraphQLSchema,
  ids: readonly string[],
  kinds: GeneratedOperation['kind'][],
): fc.Arbitrary<GeneratedOperation> {
  return fc
    .record({
      kind: fc.constantFrom(...kinds),
      tape: fc.array(fc.nat({ max: 1_000_000 }), { minLength: 32, maxLength: 256 }),
    })
    .map(({ kind, tape }) => new OperationBuilder(schema, new Tape(tape), ids).build(kind));
}
