import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kind, parse, print, visit, type FieldDefinitionNode, type InputValueDefinitionNode } from 'graphql';
import { BREAKING_MARKER, checkSchema, messagesSinceRelease, RELEASED_FILE } from './schema-check';

const root = path.resolve(__dirname, '../..');
const current = fs.readFileSync(path.join(root, 'schema.graphql'), 'utf8');

/** schema.graphql with one field of a type changed by `change` (null removes it) */
function withField(
  type: string,
  field: string,
  change: (node: FieldDefinitionNode) => FieldDefinitionNode | null,
): string {
  let found = false;
  const edited = visit(parse(current), {
    ObjectTypeDefinition(node) {
      if (node.name.value !== type) return undefined;
      const fields = (node.fields ?? []).flatMap((f) => {
        if (f.name.value !== field) return [f];
        found = true;
        const changed = change(f);
        return changed ? [changed] : [];
      });
      return { ...node, fields };
    },
  });
  if (!found) throw new Error(`${type}.${field} is not in schema.graphql`);
  return print(edited);
}

const argument = (name: string, type: string, required: boolean): InputValueDefinitionNode => {
  const named = { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: type } } as const;
  return {
    kind: Kind.INPUT_VALUE_DEFINITION,
    name: { kind: Kind.NAME, value: name },
    type: required ? { kind: Kind.NON_NULL_TYPE, type: named } : named,
  };
};

describe('the breaking-change check (npm run schema:check)', () => {
  it('passes schema.graphql against the last release (only additions since, or a break a commit approved)', async () => {
    const released = fs.readFileSync(path.join(root, RELEASED_FILE), 'utf8');
    const check = await checkSchema(released, current, messagesSinceRelease());
    expect(check.ok)
      .withContext(check.breaking.map((c) => c.message).join('\n'))
      .toBeTrue();
  });

  it('fails on a removed field, naming it, unless a commit since the release carries the marker', async () => {
    const removed = withField('Mutation', 'logout', () => null);
    const check = await checkSchema(current, removed, 'Tidy the API');
    expect(check.ok).toBeFalse();
    expect(check.breaking.map((c) => c.message)).toEqual(["Field 'logout' was removed from object type 'Mutation'"]);
    expect((await checkSchema(current, removed, `Drop logout ${BREAKING_MARKER}\n\nwhy`)).ok).toBeTrue();
  });

  it('passes an added optional argument and fails an added required one', async () => {
    const optional = withField('Query', 'users', (f) => ({
      ...f,
      arguments: [...(f.arguments ?? []), argument('search', 'String', false)],
    }));
    const added = await checkSchema(current, optional, '');
    expect(added.ok).toBeTrue();
    expect(added.breaking).toEqual([]);
    // graphql-inspector calls it dangerous (a field may answer differently with it): shown, not failed
    expect(added.dangerous.map((c) => c.message)).toEqual(["Argument 'search: String' added to field 'Query.users'"]);

    const required = withField('Query', 'users', (f) => ({
      ...f,
      arguments: [...(f.arguments ?? []), argument('search', 'String', true)],
    }));
    expect((await checkSchema(current, required, '')).ok).toBeFalse();
  });

  it('passes a deprecation (what to do instead of removing)', async () => {
    const deprecated = withField('Sitting', 'submittedAt', (f) => ({
      ...f,
      directives: [
        {
          kind: Kind.DIRECTIVE,
          name: { kind: Kind.NAME, value: 'deprecated' },
          arguments: [
            {
              kind: Kind.ARGUMENT,
              name: { kind: Kind.NAME, value: 'reason' },
              value: { kind: Kind.STRING, value: 'Use answer.submittedAt' },
            },
          ],
        },
      ],
    }));
    const check = await checkSchema(current, deprecated, '');
    expect(check.ok).toBeTrue();
    expect(check.breaking).toEqual([]);
    expect(check.safe.map((c) => c.message)).toContain("Field 'Sitting.submittedAt' is deprecated");
  });

  it('runs as a command that prints the changes and its verdict, and exits 1 on an unapproved break', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-check-'));
    const released = path.join(dir, 'release.graphql');
    const next = path.join(dir, 'next.graphql');
    fs.writeFileSync(released, current);
    fs.writeFileSync(
      next,
      withField('Mutation', 'logout', () => null),
    );
    const run = (message: string) =>
      spawnSync(
        process.execPath,
        [path.join(__dirname, 'schema-check.js'), '--released', released, '--current', next, '--message', message],
        { encoding: 'utf8' },
      );
    const refused = run('no marker');
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain('1 change (1 breaking, 0 dangerous, 0 safe)');
    expect(refused.stdout).toContain("BREAKING   Field 'logout' was removed from object type 'Mutation'");
    expect(refused.stdout).toContain('schema breaking-change check: 0 passed, 1 failed');
    const approved = run(`drop logout ${BREAKING_MARKER}`);
    expect(approved.status).toBe(0);
    expect(approved.stdout).toContain('schema breaking-change check: 1 passed, 0 failed');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
