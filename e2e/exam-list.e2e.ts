import type { Page } from 'playwright-core';
import { expectAccessible, expectNoEnglishUi, screenshot, world } from './support/browser';

/** month names as the list writes its dates in each language (Russian in the genitive: «4 декабря») */
const MONTHS = {
  kk: 'қаңтар ақпан наурыз сәуір мамыр маусым шілде тамыз қыркүйек қазан қараша желтоқсан'.split(' '),
  ru: 'января февраля марта апреля мая июня июля августа сентября октября ноября декабря'.split(' '),
  en: 'January February March April May June July August September October November December'.split(' '),
};

/**
 * The list's dates are written in `language` and in no other: the demo's exams lie around the day it is seeded, so which
 * month they fall in depends on that day, not on the language.
 */
function expectMonthsIn(language: keyof typeof MONTHS, text: string): void {
  for (const [other, months] of Object.entries(MONTHS)) {
    const found = months.filter((month) => text.includes(month));
    if (other === language) expect(found.length).withContext(`a ${language} month name in: ${text}`).toBeGreaterThan(0);
    else expect(found).withContext(`${other} month names in the ${language} list`).toEqual([]);
  }
}

/** R1: login, the main menu, the list with its filters, the state at a glance, and the three languages. */
describe('the exam list', () => {
  let page: Page;

  beforeAll(async () => {
    const context = await world.browser.newContext({
      baseURL: world.server.url,
      viewport: { width: 1280, height: 900 },
      locale: 'kk-KZ',
    });
    page = await context.newPage();
  });

  afterAll(async () => {
    await page.context().close();
  });

  it('signs in, opens «Онлайн аттестаттау» → «Аралық аттестаттау» and shows the current year and period', async () => {
    await page.goto('/attestation');
    await page.waitForURL(/\/login/);
    await screenshot(page, '01-login-kk');
    await page.fill('input[name=login]', 'student01');
    await page.fill('input[name=password]', 'wrong');
    await page.click('button[type=submit]');
    await page.getByRole('alert').filter({ hasText: 'Логин немесе құпия сөз қате' }).waitFor();

    await page.fill('input[name=password]', 'demo');
    await page.click('button[type=submit]');
    await page.waitForURL(/\/attestation$/); // back where the student was going
    await page.goto('/');
    const menu = page.getByRole('navigation', { name: 'Басты мәзір' });
    await menu.getByText('Онлайн аттестаттау').waitFor();
    await menu.getByRole('link', { name: 'Аралық аттестаттау' }).click();
    await page.getByRole('heading', { name: 'Онлайн аралық аттестаттаудан өту' }).waitFor();

    await page.getByTestId('year-filter').filter({ hasText: '2026-2027' }).waitFor();
    await page.getByTestId('period-filter').filter({ hasText: '1-академиялық кезең' }).waitFor();
    await page.locator('table tr[mat-row]').nth(4).waitFor();
    await screenshot(page, '02-list-kk');
    await expectNoEnglishUi(page, 'list');
    await expectAccessible(page, 'list');
  });

  it("shows each exam's state at a glance", async () => {
    const states = await page
      .locator('[data-state]')
      .evaluateAll((cells) => cells.map((c) => c.getAttribute('data-state')));
    expect(states.filter((s) => s === 'open').length).toBe(3);
    expect(states.filter((s) => s === 'upcoming').length).toBe(1);
    expect(states.filter((s) => s === 'graded').length).toBe(1);
    const graded = page.locator('tr', { has: page.locator('[data-state=graded]') });
    expect(await graded.innerText()).toContain('Бағаланды (96, A)');
  });

  it('filters by academic period and year', async () => {
    const pick = async (filter: string, option: string) => {
      await page.getByTestId(filter).click();
      await page.getByRole('option', { name: option }).click();
      await page.getByRole('listbox').waitFor({ state: 'detached' });
    };
    await pick('period-filter', '2-академиялық кезең');
    await page.getByText('Таңдалған оқу жылы мен кезеңде онлайн емтихандар жоқ.').waitFor();
    await pick('period-filter', 'Барлық кезеңдер');
    await page.locator('table tr[mat-row]').nth(4).waitFor();
    await pick('year-filter', '2025-2026');
    await page.getByText('Таңдалған оқу жылы мен кезеңде онлайн емтихандар жоқ.').waitFor();
    await pick('year-filter', '2026-2027');
    await page.locator('table tr[mat-row]').nth(4).waitFor();
  });

  it('switches to Russian and English at once and remembers the choice', async () => {
    await page.getByText('Русский', { exact: true }).click();
    await page.getByRole('heading', { name: 'Прохождение онлайн промежуточной аттестации' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Прохождение онлайн промежуточной аттестации' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('ru');
    await page.locator('table tr[mat-row]').nth(4).waitFor();
    expectMonthsIn('ru', await page.locator('table').innerText());
    await screenshot(page, '03-list-ru');

    await page.getByText('English', { exact: true }).click();
    await page.getByRole('heading', { name: 'Taking the online intermediate attestation' }).waitFor();
    expectMonthsIn('en', await page.locator('table').innerText());
    await screenshot(page, '04-list-en');

    await page.getByText('Қазақша', { exact: true }).click();
    await page.getByRole('heading', { name: 'Онлайн аралық аттестаттаудан өту' }).waitFor();
    expectMonthsIn('kk', await page.locator('table').innerText());
  });

  it('opens an exam page from the discipline link (R1.4)', async () => {
    await page.getByRole('link', { name: 'Алгоритмдер және деректер құрылымдары' }).click();
    await page.getByRole('heading', { name: 'Алгоритмдер және деректер құрылымдары', level: 1 }).waitFor();
    await page.getByText('Басталуына дейін').waitFor();
    await page.getByText('Билеттер емтихан басталған кезде ашылады.').waitFor();
    expect(await page.getByTestId('ticket-board').count()).toBe(0);
    await screenshot(page, '05-exam-upcoming-kk');
    await expectNoEnglishUi(page, 'upcoming exam page');
    await expectAccessible(page, 'upcoming exam page');
  });

  it('signs out back to the login page', async () => {
    await page.getByRole('button', { name: 'Шығу' }).click();
    await page.waitForURL(/\/login/);
    await page.goto('/attestation');
    await page.waitForURL(/\/login\?returnUrl=%2Fattestation/);
  });
});
