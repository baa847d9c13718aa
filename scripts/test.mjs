// `npm test`: builds the server, runs its specs on SQLite and — when TEST_DATABASE_URL names a
// PostgreSQL server — again on PostgreSQL, then ends with one line "N passed, N failed".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const run = (cmd, args, env = {}) => spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
const total = { passed: 0, failed: 0, skipped: 0 };

const build = run('npx', ['tsc', '-p', 'server/tsconfig.json']);
if (build.status !== 0) {
  console.log('the server did not compile');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const suites = [{ label: 'server on SQLite', env: { TEST_DATABASE_URL: '' } }];
if (process.env.TEST_DATABASE_URL) suites.push({ label: 'server on PostgreSQL', env: { TEST_DATABASE_URL: process.env.TEST_DATABASE_URL } });
else console.log('TEST_DATABASE_URL is not set: the PostgreSQL run is skipped (CI sets it).');

for (const suite of suites) {
  console.log(`\n=== ${suite.label} ===`);
  const countsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'counts-')), 'counts.json');
  run('node', ['scripts/run-jasmine.mjs', countsFile, suite.label], suite.env);
  const counts = fs.existsSync(countsFile) ? JSON.parse(fs.readFileSync(countsFile, 'utf8')) : { passed: 0, failed: 1, skipped: 0 };
  for (const key of Object.keys(total)) total[key] += counts[key];
}

console.log(`\n${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(total.failed > 0 || total.passed === 0 ? 1 : 0);
