import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';

/** A commit message holding this approves breaking schema changes until the next release. */
export const BREAKING_MARKER = '[breaking-schema]';
const root = path.resolve(__dirname, '../..');
export const RELEASED_FILE = 'schema/release.graphql';
const CURRENT_FILE = 'schema.graphql';

export interface SchemaCheck {
  breaking: Change[];
  dangerous: Change[];
  safe: Change[];
  /** a commit since the release says the breaking changes are meant */
  approved: boolean;
  ok: boolean;
}

/** The changes from the released schema to the current one, and whether they may ship. */
export async function checkSchema(
  releasedSdl: string,
  currentSdl: string,
  commitMessages: string,
): Promise<SchemaCheck> {
  const changes = await diff(buildSchema(releasedSdl), buildSchema(currentSdl));
  const of = (level: CriticalityLevel) => changes.filter((c) => c.criticality.level === level);
  const breaking = of(CriticalityLevel.Breaking);
  const approved = commitMessages.includes(BREAKING_MARKER);
  return {
    breaking,
    dangerous: of(CriticalityLevel.Dangerous),
    safe: of(CriticalityLevel.NonBreaking),
    approved,
    ok: breaking.length === 0 || approved,
  };
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ');

export function report(check: SchemaCheck): string[] {
  const { breaking, dangerous, safe } = check;
  const total = breaking.length + dangerous.length + safe.length;
  const lines = [
    `${CURRENT_FILE} against ${RELEASED_FILE}: ${total} change${total === 1 ? '' : 's'} ` +
      `(${breaking.length} breaking, ${dangerous.length} dangerous, ${safe.length} safe)`,
    ...breaking.map(
      (c) => `  BREAKING   ${oneLine(c.message)}${c.criticality.reason ? ` — ${c.criticality.reason}` : ''}`,
    ),
    ...dangerous.map(
      (c) => `  dangerous  ${oneLine(c.message)}${c.criticality.reason ? ` — ${c.criticality.reason}` : ''}`,
    ),
    ...safe.map((c) => `  safe       ${oneLine(c.message)}`),
  ];
  if (breaking.length > 0 && check.approved)
    lines.push(`breaking changes approved by a commit marked ${BREAKING_MARKER} since the release`);
  else if (breaking.length > 0)
    lines.push(
      'breaking changes fail the check: deprecate instead of removing (@deprecated), make new arguments optional, ' +
        `or, when the break is meant, say so in a commit message with ${BREAKING_MARKER} (see README, Schema)`,
    );
  return lines;
}

/** The messages of the commits since the released schema last changed (the last commit's, when that is unknown). */
export function messagesSinceRelease(): string {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const release = git('log', '-1', '--format=%H', '--', RELEASED_FILE).trim();
    return release ? git('log', '--format=%B', `${release}..HEAD`) : git('log', '-1', '--format=%B');
  } catch {
    try {
      return git('log', '-1', '--format=%B');
    } catch {
      return ''; // no git (an exported tree): nothing approves a break
    }
  }
}

/**
 * `npm run schema:check`: prints the changes since the release and exits 1 on an unapproved breaking one.
 * `--release` (npm run schema:release) makes the current schema.graphql the released one.
 * `--released <file> --current <file> --message <text>` check other files and messages (the spec uses them).
 */
async function main(argv: string[]): Promise<number> {
  const option = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  const released = option('--released') ?? path.join(root, RELEASED_FILE);
  const current = option('--current') ?? path.join(root, CURRENT_FILE);
  if (argv.includes('--release')) {
    fs.copyFileSync(current, released);
    console.log(`${path.relative(root, released)} is now the released schema: commit it with the release`);
    return 0;
  }
  const check = await checkSchema(
    fs.readFileSync(released, 'utf8'),
    fs.readFileSync(current, 'utf8'),
    option('--message') ?? messagesSinceRelease(),
  );
  for (const line of report(check)) console.log(line);
  console.log(`schema breaking-change check: ${check.ok ? '1 passed, 0 failed' : '0 passed, 1 failed'}`);
  return check.ok ? 0 : 1;
}

if (require.main === module)
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
