import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { openStudent, type StudentPage, type StudentPageOptions, world } from './browser';

/** A signed-in browser context for anyone — staff, a teacher or a student (openStudent's set-up works for every role). */
export function openAs(login: string, options?: StudentPageOptions): Promise<StudentPage> {
  return openStudent(login, options);
}

/** The server's clock now (the exam times are set against it, not the test machine's). */
export async function serverNow(token: string): Promise<number> {
  const { serverTime } = await world.api.call<{ serverTime: string }>(token, '{ serverTime }');
  return Date.parse(serverTime);
}

/** The date and time (YYYY-MM-DD, HH:mm) an instant shows on Almaty's clocks, as staff type them. */
export function almaty(at: number): { date: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Almaty',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(at))
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts['year']}-${parts['month']}-${parts['day']}`, time: `${parts['hour']}:${parts['minute']}` };
}

/** Picks an option of a Material select (found by its test id). */
export async function choose(page: Page, testId: string, option: string | RegExp): Promise<void> {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: option }).click();
  await page.getByRole('listbox').waitFor({ state: 'detached' });
}

/** Runs what starts a download and returns the saved file's name, bytes and text (as UTF-8). */
export async function downloaded(
  page: Page,
  start: () => Promise<void>,
): Promise<{ name: string; bytes: Buffer; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), start()]);
  const bytes = fs.readFileSync(await download.path());
  return { name: download.suggestedFilename(), bytes, text: bytes.toString('utf8') };
}
