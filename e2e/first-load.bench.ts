// `npm run bench:first-load`: a benchmark, not a spec. A student's exam page opened cold in Debian's Chromium under a
// phone profile (390×844, 4× CPU slowdown, 1.6 Mbit/s down, 150 ms latency): bytes over the wire and paint times,
// for this build and, in the same run, for a baseline build (BENCH_BEFORE_MAIN, default /tmp/fl-before/server/dist/main.js:
// `git worktree add /tmp/fl-before c81cff2`, node_modules hard-linked in, `npm run build` there).
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { Api } from './support/api';
import path from 'node:path';
import { ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS } from './support/browser';
import { startServer, type RunningServer } from './support/server';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const BEFORE_MAIN = process.env['BENCH_BEFORE_MAIN'] ?? '/tmp/fl-before/server/dist/main.js';
/** the phone profile of issue 11 */
const PHONE = {
  width: 390,
  height: 844,
  cpuSlowdown: 4,
  downBitsPerSecond: 1_600_000,
  upBitsPerSecond: 750_000,
  latencyMs: 150,
};
/** a task exam that is open in the demo university, and a student of its group */
const EXAM_CODE = 'CSE-310';
const STUDENT = 'student06';

interface Load {
  /** bytes received, headers included (the page's WebSocket frames excepted) */
  bytes: number;
  /** of which JavaScript */
  scriptBytes: number;
  requests: number;
  /** first contentful paint, ms after navigation start */
  fcpMs: number;
  /** the exam's information on screen: the page is usable */
  examShownMs: number;
}

interface Target {
  name: string;
  server: RunningServer;
  api: Api;
  examId: string;
}

async function target(name: string, main: string): Promise<Target> {
  const server = await startServer(main);
  const api = new Api(server.url);
  const staff = await api.login('staff');
  const examId = (await api.examByCode(staff.token, EXAM_CODE)).id;
  return { name, server, api, examId };
}

/**
 * One cold load: a new context (empty cache), signed in as the login page leaves it, throttled through the DevTools
 * protocol. With `screenshots`, an extra load that is not measured: the placeholder and the exam page, as pictures.
 */
async function coldLoad(browser: Browser, t: Target, screenshots = false): Promise<Load> {
  const student = await t.api.login(STUDENT);
  const context = await browser.newContext({
    baseURL: t.server.url,
    viewport: { width: PHONE.width, height: PHONE.height },
    deviceScaleFactor: 3,
    isMobile: true,
    hasTouch: true,
    locale: 'kk-KZ',
    timezoneId: 'Asia/Almaty',
  });
  await context.addInitScript((session) => {
    localStorage.setItem('attestation.session', JSON.stringify(session));
  }, student);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: PHONE.cpuSlowdown });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: PHONE.latencyMs,
    downloadThroughput: PHONE.downBitsPerSecond / 8,
    uploadThroughput: PHONE.upBitsPerSecond / 8,
  });
  const types = new Map<string, string>();
  let bytes = 0;
  let scriptBytes = 0;
  let requests = 0;
  cdp.on('Network.responseReceived', (event) => types.set(event.requestId, event.type));
  cdp.on('Network.loadingFinished', (event) => {
    requests++;
    bytes += event.encodedDataLength;
    if (types.get(event.requestId) === 'Script') scriptBytes += event.encodedDataLength;
  });

  const started = Date.now();
  await page.goto(`/attestation/${t.examId}`, { waitUntil: 'commit' });
  if (screenshots) {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.locator('.boot').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, `first-load-placeholder-${t.name}.png`) });
    // from here to the exam, something is on screen at every moment: the placeholder, then the shell
    const blank = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          let samples = 0;
          const timer = setInterval(() => {
            if (document.querySelector('[data-testid=info]')) {
              clearInterval(timer);
              resolve(samples);
            } else if (!document.querySelector('.boot, app-shell')) samples++;
          }, 50);
        }),
    );
    console.log(`[bench] ${t.name}: blank screen for ${blank * 50} ms between the placeholder and the exam`);
  }
  await page.getByTestId('info').waitFor({ timeout: 120_000 });
  const examShownMs = Date.now() - started;
  if (screenshots) await page.screenshot({ path: path.join(ARTIFACTS, `first-load-exam-${t.name}.png`) });
  const fcpMs = await page.evaluate(
    () =>
      new Promise<number>((resolve) =>
        new PerformanceObserver((list) => {
          const fcp = list.getEntriesByName('first-contentful-paint')[0];
          if (fcp) resolve(fcp.startTime);
        }).observe({ type: 'paint', buffered: true }),
      ),
  );
  await page.waitForLoadState('networkidle').catch(() => undefined); // lazy chunks fetched after the first render count too
  await context.close();
  return { bytes, scriptBytes, requests, fcpMs, examShownMs };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main() {
  const targets: Target[] = [];
  if (fs.existsSync(BEFORE_MAIN)) targets.push(await target('before', BEFORE_MAIN));
  else console.log(`[bench] no baseline at ${BEFORE_MAIN} (set BENCH_BEFORE_MAIN): measuring this build only`);
  targets.push(await target('after', 'server/dist/main.js'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  const loads = new Map<string, Load[]>(targets.map((t) => [t.name, []]));
  try {
    // interleaved, so a busy moment of the machine falls on both sides alike
    for (let run = 1; run <= RUNS; run++) {
      for (const t of targets) {
        const load = await coldLoad(browser, t);
        loads.get(t.name)!.push(load);
        console.log(
          `[bench] ${t.name} #${run}: ${kb(load.bytes)} in ${load.requests} requests (JS ${kb(load.scriptBytes)}), FCP ${s(load.fcpMs)}, exam shown ${s(load.examShownMs)}`,
        );
      }
    }
    const after = targets.find((t) => t.name === 'after')!;
    await coldLoad(browser, after, true);
    console.log(
      `[bench] screenshots: ${path.relative(process.cwd(), ARTIFACTS)}/first-load-{placeholder,exam}-after.png`,
    );
  } finally {
    await browser.close();
    for (const t of targets) await t.server.stop();
  }
  console.log(`\n[bench] medians of ${RUNS} cold loads of the exam page, phone profile`);
  console.log('| build | transferred | of it JavaScript | requests | first contentful paint | exam shown |');
  console.log('|---|---|---|---|---|---|');
  for (const [name, runs] of loads) {
    const m = (key: keyof Load) => median(runs.map((r) => r[key]));
    console.log(
      `| ${name} | ${kb(m('bytes'))} | ${kb(m('scriptBytes'))} | ${m('requests')} | ${s(m('fcpMs'))} | ${s(m('examShownMs'))} |`,
    );
  }
  const before = loads.get('before');
  const after = loads.get('after')!;
  const script = median(after.map((r) => r.scriptBytes));
  console.log(`\n[bench] the exam page's JavaScript as received: ${kb(script)} (goal: under 300 KB)`);
  if (before?.length) {
    const ratio = median(after.map((r) => r.bytes)) / median(before.map((r) => r.bytes));
    console.log(`[bench] bytes after / before: ${(ratio * 100).toFixed(0)} % (goal: at most 25 %)`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
