// `npm test`: builds the server, runs its specs on SQLite and — when TEST_DATABASE_URL names a
// PostgreSQL server — again on PostgreSQL, then the web app's component specs (jasmine-browser-runner, headless Chromium)
// and its end-to-end specs (playwright-core against the real server), with the import-circle check, the codegen check,
// the schema's breaking-change check and `npm run lint` as one stage each, and ends with one line "N passed, N failed".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const run = (cmd, args, env = {}) => spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
const total = { passed: 0, failed: 0, skipped: 0 };
const failures = []; // "stage: spec: first message", printed before the last line

const build = run('npx', ['tsc', '-p', 'server/tsconfig.json']);
if (build.status !== 0) {
  console.log('the server did not compile');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

// SQLite with in-process pub/sub (the embedded default); PostgreSQL with Redis (the several-instance set-up);
// two real server processes on both, when both are there
const { TEST_DATABASE_URL: pg, TEST_REDIS_URL: redis } = process.env;
const suites = [{ label: 'server on SQLite', env: { TEST_DATABASE_URL: '', TEST_REDIS_URL: '' } }];
if (pg)
  suites.push({
    label: `server on PostgreSQL${redis ? ' and Redis' : ''}`,
    env: { TEST_DATABASE_URL: pg, TEST_REDIS_URL: redis ?? '' },
  });
else console.log('TEST_DATABASE_URL is not set: the PostgreSQL run is skipped (CI sets it).');
if (pg && redis)
  suites.push({ label: 'two instances on PostgreSQL and Redis', env: {}, config: 'server/jasmine.cluster.json' });
else
  console.log('TEST_DATABASE_URL and TEST_REDIS_URL are not both set: the two-instance run is skipped (CI sets them).');

for (const suite of suites) {
  console.log(`\n=== ${suite.label} ===`);
  const countsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'counts-')), 'counts.json');
  run('node', ['scripts/run-jasmine.mjs', countsFile, suite.label, suite.config ?? 'server/jasmine.json'], suite.env);
  const counts = fs.existsSync(countsFile)
    ? JSON.parse(fs.readFileSync(countsFile, 'utf8'))
    : { passed: 0, failed: 1, skipped: 0 };
  for (const key of Object.keys(total)) total[key] += counts[key];
  for (const failure of counts.failures ?? []) failures.push(`${suite.label}: ${failure}`);
}

// the import graph of the server and the web app has no circles (.dependency-cruiser.cjs)
console.log('\n=== import circles (npm run check:deps) ===');
const deps = run('npx', [
  'depcruise',
  'server/src',
  'client/src',
  '--config',
  '.dependency-cruiser.cjs',
  '--output-type',
  'err',
]);
if (deps.status === 0) total.passed++;
else {
  console.log('the import graph has a circle (listed above): move the shared piece down so the arrows run one way');
  total.failed++;
  failures.push('import circles');
}

// the web app: the typed operations must match schema.graphql and the .graphql files (npm run codegen writes them)
console.log('\n=== web app typed operations (codegen check) ===');
const codegen = run('npx', ['graphql-codegen', '--config', 'codegen.ts', '--check']);
if (codegen.status === 0) total.passed++;
else {
  console.log('client/src/app/core/graphql/generated.ts is out of date: run `npm run codegen` and commit it');
  total.failed++;
  failures.push('codegen check');
}

// the public schema against the last release (schema/release.graphql): a breaking change fails unless a commit since
// the release says "[breaking-schema]" (server/src/schema-check.ts; npm run schema:release takes a new snapshot)
console.log('\n=== schema breaking-change check (npm run schema:check) ===');
const schemaCheck = run('node', ['server/dist/schema-check.js']);
if (schemaCheck.status === 0) total.passed++;
else {
  total.failed++;
  failures.push('schema breaking-change check');
}

// lint: Prettier's check, then ESLint with no warnings allowed (eslint.config.mjs, .prettierrc.json)
console.log('\n=== lint (npm run lint) ===');
const lint = run('npm', ['run', '--silent', 'lint']);
if (lint.status === 0) total.passed++;
else {
  console.log(
    'lint failed: `npm run format` rewrites the formatting, `npx eslint --fix .` fixes what it can, the rest by hand',
  );
  total.failed++;
  failures.push('lint');
}

// component specs, then the browser specs against the real server (each writes its counts as JSON)
const clientSuites = [
  {
    label: 'web app component specs',
    cmd: 'node',
    args: () => ['scripts/test-client.mjs'],
    env: (countsFile) => ({ COUNTS_FILE: countsFile }),
  },
  {
    label: 'web app end-to-end specs',
    cmd: 'node',
    args: (countsFile) => ['e2e/run.mjs', countsFile],
    env: () => ({}),
  },
];
for (const suite of clientSuites) {
  console.log(`\n=== ${suite.label} ===`);
  const countsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'counts-')), 'counts.json');
  const started = Date.now();
  run(suite.cmd, suite.args(countsFile), suite.env(countsFile));
  const counts = fs.existsSync(countsFile)
    ? JSON.parse(fs.readFileSync(countsFile, 'utf8'))
    : { passed: 0, failed: 1, skipped: 0 };
  console.log(
    `[${suite.label}] ${counts.passed} passed, ${counts.failed} failed in ${Math.round((Date.now() - started) / 1000)} s`,
  );
  for (const key of Object.keys(total)) total[key] += counts[key] ?? 0;
  for (const failure of counts.failures ?? []) failures.push(`${suite.label}: ${failure}`);
}

if (failures.length > 0)
  console.log(`\nFailed:\n${failures.map((failure) => `- ${failure.slice(0, 400)}`).join('\n')}`);

console.log(`\n${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(total.failed > 0 || total.passed === 0 ? 1 : 0);
