import { expectAccessible, expectNoEnglishUi, screenshot, type StudentPage } from './support/browser';
import { openAs } from './support/people';

/** Issue 13: staff find people on the server — a page at a time, by a Kazakh name typed in capitals, by role. */
describe('People', () => {
  let staff: StudentPage;

  beforeAll(async () => {
    staff = await openAs('staff');
  });
  afterAll(() => staff?.close());

  it('lists people a page at a time and finds them by name in any case and by role', async () => {
    const { page } = staff;
    await page.goto('/staff/exams');
    await page.getByRole('link', { name: 'Пайдаланушылар' }).click();
    await page.getByRole('heading', { name: 'Пайдаланушылар', level: 1 }).waitFor();
    const rows = page.getByTestId('users').locator('tbody tr');
    await rows.first().waitFor();
    const total = Number((await page.getByTestId('users-count').innerText()).replace(/\D/g, ''));
    expect(total).toBeGreaterThan(30);
    expect(await rows.count()).toBe(Math.min(total, 50));
    await screenshot(page, '97-people-kk');
    await expectNoEnglishUi(page, 'people');
    await expectAccessible(page, 'people');

    await page.getByTestId('users-search').fill('ӘБЕНОВ');
    await page.getByTestId('users-count').filter({ hasText: 'Барлығы: 1' }).waitFor();
    expect(await rows.first().innerText()).toContain('Нұрлан Әбенов');

    await page.getByTestId('users-search').fill('');
    await page.getByTestId('users-role').click();
    await page.getByRole('option', { name: 'Оқытушы' }).click();
    await page.getByTestId('users-count').filter({ hasText: 'Барлығы: 2' }).waitFor();
    expect((await rows.allInnerTexts()).every((row) => row.includes('Оқытушы'))).toBeTrue();
  });
});
