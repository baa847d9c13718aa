import fs from 'node:fs';
import path from 'node:path';
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLSchema,
  type GraphQLType,
} from 'graphql';
import { createSchema, printedSchema } from './schema';

const root = path.resolve(__dirname, '../..');
// a copy of ../shared/spec/api-contract.graphql, so the check runs wherever the repository is cloned
const contract = buildSchema(fs.readFileSync(path.join(root, 'server/contract/api-contract.graphql'), 'utf8'));

/** An output type is compatible when it is the same named type and at least as strict about null. */
function outputCompatible(ours: GraphQLType, theirs: GraphQLType): boolean {
  return (
    ours.toString().replace(/!/g, '') === theirs.toString().replace(/!/g, '') &&
    (!theirs.toString().endsWith('!') || ours.toString().endsWith('!'))
  );
}
/** An input (argument) is compatible when a caller of the contract can send the same value. */
function inputCompatible(ours: GraphQLType, theirs: GraphQLType): boolean {
  return (
    ours.toString().replace(/!/g, '') === theirs.toString().replace(/!/g, '') &&
    (!ours.toString().endsWith('!') || theirs.toString().endsWith('!'))
  );
}

function contractGaps(schema: GraphQLSchema): string[] {
  const gaps: string[] = [];
  for (const type of Object.values(contract.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    const mine = schema.getType(type.name);
    if (!mine) {
      gaps.push(`type ${type.name} is missing`);
      continue;
    }
    if (isObjectType(type) || isInterfaceType(type)) {
      if (!isObjectType(mine) && !isInterfaceType(mine)) {
        gaps.push(`${type.name} is not an object type`);
        continue;
      }
      const fields = mine.getFields();
      for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
        const ours = fields[field.name];
        if (!ours) {
          gaps.push(`${type.name}.${field.name} is missing`);
          continue;
        }
        if (!outputCompatible(ours.type, field.type))
          gaps.push(`${type.name}.${field.name}: ${ours.type} is not compatible with ${field.type}`);
        for (const arg of field.args) {
          const ourArg = ours.args.find((a) => a.name === arg.name);
          if (!ourArg) gaps.push(`${type.name}.${field.name}(${arg.name}) is missing`);
          else if (!inputCompatible(ourArg.type, arg.type))
            gaps.push(`${type.name}.${field.name}(${arg.name}): ${ourArg.type} vs ${arg.type}`);
        }
        for (const extra of ours.args) {
          if (
            !field.args.some((a) => a.name === extra.name) &&
            extra.type.toString().endsWith('!') &&
            extra.defaultValue === undefined
          ) {
            gaps.push(`${type.name}.${field.name} requires an argument ${extra.name} the contract does not send`);
          }
        }
      }
    } else if (isInputObjectType(type)) {
      if (!isInputObjectType(mine)) {
        gaps.push(`${type.name} is not an input type`);
        continue;
      }
      const fields = mine.getFields();
      for (const field of Object.values(type.getFields()) as GraphQLInputField[]) {
        const ours = fields[field.name];
        if (!ours) gaps.push(`${type.name}.${field.name} is missing`);
        else if (!inputCompatible(ours.type, field.type))
          gaps.push(`${type.name}.${field.name}: ${ours.type} vs ${field.type}`);
      }
    } else if (isEnumType(type)) {
      if (!isEnumType(mine)) {
        gaps.push(`${type.name} is not an enum`);
        continue;
      }
      for (const value of type.getValues())
        if (!mine.getValue(value.name)) gaps.push(`${type.name}.${value.name} is missing`);
    } else if (isUnionType(type)) {
      if (!isUnionType(mine)) {
        gaps.push(`${type.name} is not a union`);
        continue;
      }
      for (const member of type.getTypes())
        if (!mine.getTypes().some((t) => t.name === member.name)) gaps.push(`${type.name} lacks ${member.name}`);
    }
  }
  return gaps;
}

describe('schema.graphql', () => {
  it('is what the code generates (run `npm run schema` after changing the API)', async () => {
    const committed = fs.readFileSync(path.join(root, 'schema.graphql'), 'utf8');
    expect(committed).toEqual(await printedSchema());
  });

  it('contains every type, field, argument and enum value of the public contract with compatible types', async () => {
    expect(contractGaps(await createSchema())).toEqual([]);
  });

  it('finds a gap when a contract field is missing (the check itself works)', () => {
    const lacking = buildSchema('type Query { me: User } type User { id: ID! }');
    const gaps = contractGaps(lacking);
    expect(gaps).toContain('User.login is missing');
    expect(gaps).toContain('type Exam is missing');
  });

  it('never exposes a password hash or a session token store', async () => {
    const sdl = await printedSchema();
    expect(sdl).not.toMatch(/passwordHash|tokenHash/);
    const schema = await createSchema();
    expect(schema.getType('AuthSession')).toBeUndefined();
    expect(Object.keys((schema.getType('User') as import('graphql').GraphQLObjectType).getFields())).toEqual([
      'id',
      'login',
      'fullName',
      'role',
      // issue 13: the SIS's key of the person, null for anyone but staff (UserResolver) and users:read clients
      'externalId',
    ]);
  });
});
