// `npm run test:e2e`: the browser specs against the real server. Builds what is missing or stale (the web app,
// the server), compiles the specs (e2e/tsconfig.json → dist/e2e), runs them with Jasmine on Node, and writes
// the counts to the file named by argv[2] (for scripts/test.mjs) as well as printing "[e2e] N passed, N failed".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Jasmine from 'jasmine';
import { countingReporter } from '../scripts/counts-reporter.mjs';

const root = path.resolve(import.meta.dirname, '..');
process.chdir(root);
const countsFile = process.argv[2];
const counts = { passed: 0, failed: 0, skipped: 0 };
const finish = (code) => {
  if (countsFile) fs.writeFileSync(countsFile, JSON.stringify(counts));
  console.log(
    `[e2e] ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`,
  );
  process.exit(code);
};
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit' }).status === 0;

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

const clientIndex = 'dist/client/browser/index.html';
if (!fs.existsSync(clientIndex) || fs.statSync(clientIndex).mtimeMs < newestMtime('client/src')) {
  console.log('[e2e] building the web app (dist/client is missing or older than client/src)');
  if (!run('npm', ['run', 'build:client'])) {
    counts.failed = 1;
    finish(1);
  }
}
if (!process.env.E2E_SERVER_MAIN && !fs.existsSync('server/dist/main.js')) {
  console.log('[e2e] building the server');
  if (!run('npx', ['tsc', '-p', 'server/tsconfig.json'])) {
    counts.failed = 1;
    finish(1);
  }
}
fs.rmSync('dist/e2e', { recursive: true, force: true });
if (!run('npx', ['tsc', '-p', 'e2e/tsconfig.json'])) {
  console.log('[e2e] the specs did not compile');
  counts.failed = 1;
  finish(1);
}

const jasmine = new Jasmine({ projectBaseDir: root });
jasmine.loadConfig({
  spec_dir: 'dist/e2e/e2e',
  spec_files: ['**/*.e2e.js'],
  helpers: ['support/setup.js'],
  random: false,
  stopSpecOnExpectationFailure: false,
});
jasmine.exitOnCompletion = false;
jasmine.addReporter(countingReporter(counts));
const started = Date.now();
const result = await jasmine.execute(undefined, process.env.E2E_FILTER || undefined);
if (result.overallStatus !== 'passed' && counts.failed === 0) counts.failed = 1;
console.log(
  `[e2e] ${((Date.now() - started) / 1000).toFixed(0)} s; screenshots in ${path.relative(root, process.env.E2E_ARTIFACTS ?? 'e2e/artifacts')}/`,
);
finish(counts.failed > 0 ? 1 : 0);
