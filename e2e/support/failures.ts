import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { ARTIFACTS } from './browser';

// A Playwright trace and a screenshot of every open page for each failing spec, in e2e/artifacts/failed/<spec>/
// (`npx playwright-core show-trace <file>`, or https://trace.playwright.dev, opens a trace). Every context the browser
// opens is traced, one chunk per spec; a passing spec's chunk is dropped. A context closed during a spec leaves its
// chunk and screenshots aside until the spec's result is known; the actions of a beforeAll go with the next spec.
const FAILED = path.join(ARTIFACTS, 'failed');
const open = new Map<BrowserContext, { label: string; chunkOpen: boolean }>();
let spec: { name: string; pending: string } | null = null;
let contexts = 0;

/** stops the context's chunk into the spec's pending folder, after screenshots of its pages */
async function keep(context: BrowserContext, label: string, pending: string): Promise<void> {
  fs.mkdirSync(pending, { recursive: true });
  for (const [index, page] of context.pages().entries()) {
    await page
      .screenshot({ path: path.join(pending, `${label}-page${index + 1}.png`), fullPage: true, timeout: 10_000 })
      .catch(() => undefined);
  }
  await context.tracing.stopChunk({ path: path.join(pending, `${label}.trace.zip`) });
}

/** Traces every context this browser opens (called once the browser is up). */
export function traceEveryContext(browser: Browser): void {
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    const state = { label: `context${++contexts}`, chunkOpen: true };
    // DOM snapshots at each action, no screencast: a screencast of every page slows the timing-sensitive specs
    await context.tracing.start({ snapshots: true, title: spec?.name });
    open.set(context, state);
    const close = context.close.bind(context);
    context.close = async (closeOptions) => {
      if (open.delete(context) && state.chunkOpen && spec)
        await keep(context, state.label, spec.pending).catch(() => undefined);
      return close(closeOptions);
    };
    return context;
  };
}

/** Keeps the trace and screenshots of each failing spec (called when the helpers load, before any spec runs). */
export function recordFailures(): void {
  jasmine.getEnv().addReporter({
    specStarted: async (result) => {
      spec = { name: result.fullName, pending: path.join(ARTIFACTS, '.pending', result.id) };
      for (const [context, state] of open) {
        if (!state.chunkOpen) await context.tracing.startChunk({ title: result.fullName });
        state.chunkOpen = true;
      }
    },
    specDone: async (result) => {
      const pending = spec!.pending;
      const failed = result.status === 'failed';
      for (const [context, state] of open) {
        if (failed)
          await keep(context, state.label, pending).catch((error: Error) =>
            console.log(`[e2e] no trace of ${state.label}: ${error.message}`),
          );
        else await context.tracing.stopChunk().catch(() => undefined);
        state.chunkOpen = false;
      }
      if (failed && fs.existsSync(pending)) {
        const slug = result.fullName
          .toLowerCase()
          .replace(/[^\p{L}\p{N}]+/gu, '-')
          .replace(/^-|-$/g, '')
          .slice(0, 100);
        const target = path.join(FAILED, slug);
        fs.rmSync(target, { recursive: true, force: true });
        fs.mkdirSync(FAILED, { recursive: true });
        fs.renameSync(pending, target);
        console.log(`\n[e2e] trace and screenshots of "${result.fullName}": ${path.relative(process.cwd(), target)}/`);
      }
      fs.rmSync(pending, { recursive: true, force: true });
      spec = null;
    },
  });
}
