import fs from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, type Page, type WebSocketRoute } from 'playwright-core';
import { en } from '../../client/src/app/core/i18n/en';
import type { MessageKey } from '../../client/src/app/core/i18n/kk';
import { Api, type SignedIn } from './api';
import type { RunningServer } from './server';

/** Debian's Chromium; browser downloads do not work on the CI machine. */
export const CHROMIUM = process.env['CHROME_BIN'] ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
/** screenshots of each state of the exam page: a CI artifact, made afresh by each run */
export const ARTIFACTS = path.resolve(process.env['E2E_ARTIFACTS'] ?? 'e2e/artifacts');

export interface World {
  server: RunningServer;
  browser: Browser;
  api: Api;
  staff: SignedIn;
}

/** set by the global setup (support/setup.ts) */
export const world = {} as World;

export interface StudentPageOptions {
  readonly lang?: 'kk' | 'ru' | 'en';
  /** the device's zone; the page must still show the university's */
  readonly timezoneId?: string;
  /** a wrong device clock; countdowns must still follow the server */
  readonly deviceClockSkewMs?: number;
  /** route the page's WebSockets through a switch the spec can pull (a dropped connection) */
  readonly cuttableSocket?: boolean;
  /** the window's size; a phone's also turns on touch and a phone's pixel density */
  readonly viewport?: Viewport;
}

export interface Viewport {
  readonly width: number;
  readonly height: number;
}

/** the two sizes the pages are checked at: a common laptop and a common phone */
export const DESKTOP: Viewport = { width: 1366, height: 768 };
export const PHONE: Viewport = { width: 390, height: 844 };

export interface StudentPage {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly student: SignedIn;
  /** drops the WebSockets and the network; `restore()` brings both back */
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** A signed-in student's browser (the session put in place as the login page would leave it). */
export async function openStudent(login: string, options: StudentPageOptions = {}): Promise<StudentPage> {
  const student = await world.api.login(login);
  const context = await world.browser.newContext({
    baseURL: world.server.url,
    viewport: options.viewport ?? { width: 1280, height: 900 },
    ...(options.viewport && options.viewport.width < 600
      ? { isMobile: true, hasTouch: true, deviceScaleFactor: 3 }
      : {}),
    timezoneId: options.timezoneId ?? 'Asia/Almaty',
    locale: 'kk-KZ',
  });
  await context.addInitScript(
    ({ session, lang, skew }) => {
      if (!sessionStorage.getItem('e2e-initialised')) {
        sessionStorage.setItem('e2e-initialised', '1');
        localStorage.setItem('attestation.session', JSON.stringify(session));
        localStorage.setItem('attestation.lang', lang);
      }
      if (skew) {
        const realNow = Date.now.bind(Date);
        Date.now = () => realNow() + skew;
      }
    },
    {
      session: { token: student.token, user: student.user },
      lang: options.lang ?? 'kk',
      skew: options.deviceClockSkewMs ?? 0,
    },
  );
  const page = await context.newPage();
  page.on('pageerror', (error) => console.log(`[${login}] page error: ${error.message}`));

  let cut = false;
  const sockets: WebSocketRoute[] = [];
  if (options.cuttableSocket) {
    await page.routeWebSocket(/\/graphql$/, (socket) => {
      if (cut) {
        void socket.close({ code: 4408, reason: 'e2e: connection dropped' });
        return;
      }
      socket.connectToServer();
      sockets.push(socket);
    });
  }

  return {
    context,
    page,
    student,
    cut: async () => {
      cut = true;
      await context.setOffline(true);
      for (const socket of sockets.splice(0))
        await socket.close({ code: 4408, reason: 'e2e: connection dropped' }).catch(() => undefined);
    },
    restore: async () => {
      cut = false;
      await context.setOffline(false);
    },
    close: () => context.close(),
  };
}

/** Waits for the button with this test id to be enabled or disabled: the page renders a moment after the input. */
export async function expectButton(page: Page, testId: string, state: 'enabled' | 'disabled'): Promise<void> {
  await page.locator(`[data-testid=${testId}]:${state}`).waitFor({ timeout: 10_000 });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** axe-core in the page: no critical violations (serious ones are listed in the log). */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  // evaluated through the DevTools protocol: a <script> tag of our own would be refused by the app's CSP, as it should
  await page.evaluate(fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            context: Document,
            options: object,
          ): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
  });
  const serious = violations.filter((v) => v.impact === 'serious');
  if (serious.length) console.log(`[axe ${label}] serious: ${JSON.stringify(serious)}`);
  const critical = violations.filter((v) => v.impact === 'critical');
  expect(critical).withContext(`critical accessibility violations on ${label}`).toEqual([]);
}

/** No English UI sentence on a page shown in Kazakh (data such as the demo's English task text is not UI). */
export async function expectNoEnglishUi(page: Page, label: string): Promise<void> {
  const text = await page.locator('body').innerText();
  const leaks = (Object.entries(en) as [MessageKey, string][])
    .filter(([key]) => !key.startsWith('lang.'))
    .flatMap(([key, message]) => message.split(/\{\w+\}/).map((fragment) => [key, fragment.trim()] as const))
    .filter(([, fragment]) => fragment.length >= 6 && text.includes(fragment));
  expect(leaks).withContext(`English UI text on the Kazakh ${label}`).toEqual([]);
}
