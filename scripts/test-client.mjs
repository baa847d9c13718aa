// `npm run test:client [-- <spec files or folders>] [--filter=<spec name>]`: the web app's component specs, Jasmine in
// headless Chromium. Angular's esbuild application builder bundles client/src/testing/test-bed.ts and the chosen specs
// (all by default) into dist/client-specs (`ng run client:spec-bundle`); jasmine-browser-runner serves that bundle and
// drives Debian's Chromium (CHROME_BIN) through its chromedriver (CHROMEDRIVER). The counts go to COUNTS_FILE as JSON
// for scripts/test.mjs; the last line is "[client] N passed, N failed".
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import jasmineBrowser from 'jasmine-browser-runner';
import config from '../client/jasmine-browser.mjs';
import { countingReporter } from './counts-reporter.mjs';

const root = path.resolve(import.meta.dirname, '..');
process.chdir(root);
const CHROMIUM = process.env.CHROME_BIN ?? '/usr/bin/chromium';
const CHROMEDRIVER = process.env.CHROMEDRIVER ?? '/usr/bin/chromedriver';
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--window-size=1280,900',
];

const counts = { passed: 0, failed: 0, skipped: 0 };
const finish = (code) => {
  if (process.env.COUNTS_FILE) fs.writeFileSync(process.env.COUNTS_FILE, JSON.stringify(counts));
  console.log(
    `\n[client] ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`,
  );
  process.exit(code);
};

// which specs: every *.spec.ts under client/src, or those under the paths given
const args = process.argv.slice(2);
const filter = args.find((a) => a.startsWith('--filter='))?.slice('--filter='.length);
const wanted = args.filter((a) => !a.startsWith('--')).map((a) => path.resolve(a));
const specs = fs
  .readdirSync('client/src', { recursive: true })
  .filter((file) => file.endsWith('.spec.ts'))
  .map((file) => path.resolve('client/src', file))
  .filter((file) => !wanted.length || wanted.some((w) => file === w || file.startsWith(w + path.sep)))
  .sort();
if (!specs.length) {
  console.log(`no client spec matches ${wanted.join(' ')}`);
  counts.failed = 1;
  finish(1);
}

// one entry for the bundle: the test bed first, then the specs (git-ignored; the builder needs a file it can compile)
const entry = 'client/src/testing/specs.generated.ts';
const importOf = (file) =>
  `import './${path.relative(path.dirname(entry), file).split(path.sep).join('/').replace(/\.ts$/, '')}';`;
const source = ['// written by scripts/test-client.mjs', "import './test-bed';", ...specs.map(importOf), ''].join('\n');
if (!fs.existsSync(entry) || fs.readFileSync(entry, 'utf8') !== source) fs.writeFileSync(entry, source);

const started = Date.now();
fs.rmSync('dist/client-specs', { recursive: true, force: true });
if (spawnSync('npx', ['ng', 'run', 'client:spec-bundle'], { stdio: 'inherit' }).status !== 0) {
  console.log('[client] the specs did not build');
  counts.failed = 1;
  finish(1);
}
const built = Date.now();

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// chromedriver is started here and handed to the runner as a "remote grid": that is how its configuration takes
// Chromium's path and flags (its built-in headlessChrome would look for Google Chrome)
const driverPort = await freePort();
const driver = spawn(CHROMEDRIVER, [`--port=${driverPort}`], { stdio: ['ignore', 'ignore', 'inherit'] });
driver.once('error', (error) => {
  console.log(`[client] cannot start ${CHROMEDRIVER} (Debian: apt-get install chromium-driver): ${error.message}`);
  counts.failed = 1;
  finish(1);
});
process.once('exit', () => driver.kill());
const driverUrl = `http://127.0.0.1:${driverPort}`;
for (let attempt = 0; ; attempt++) {
  const ready = await fetch(`${driverUrl}/status`).then(
    (r) => r.ok,
    () => false,
  );
  if (ready) break;
  if (attempt > 100) {
    console.log('[client] chromedriver did not answer within 20 s');
    counts.failed = 1;
    finish(1);
  }
  await new Promise((r) => setTimeout(r, 200));
}

const countsReporter = countingReporter(counts);
let details;
try {
  details = await jasmineBrowser.runSpecs({
    ...config,
    filter,
    port: await freePort(), // the runner would take a fixed port with a remote browser
    reporters: [countsReporter],
    browser: {
      name: 'chrome',
      useRemoteSeleniumGrid: true,
      remoteSeleniumGrid: { url: driverUrl, 'goog:chromeOptions': { binary: CHROMIUM, args: CHROMIUM_FLAGS } },
    },
  });
} catch (error) {
  console.log(`[client] the run broke off: ${error.stack ?? error}`);
}
// an error outside any spec (a failed load, a crash) fails the run without failing a spec
if (details?.overallStatus !== 'passed' && counts.failed === 0) counts.failed = 1;
console.log(
  `[client] built in ${((built - started) / 1000).toFixed(1)} s, ran in ${((Date.now() - built) / 1000).toFixed(1)} s`,
);
finish(counts.failed > 0 ? 1 : 0);
