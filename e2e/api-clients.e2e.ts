import { expectAccessible, screenshot, type StudentPage, world } from './support/browser';
import { openAs } from './support/people';

/** A request as the other system would make it: plain fetch with the token, no browser. */
async function asClient(token: string): Promise<{ status: number; code?: string; users?: unknown[] }> {
  const response = await fetch(`${world.server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ users(role: STUDENT) { login } }' }),
  });
  const body = (await response.json()) as {
    data?: { users: unknown[] };
    errors?: { extensions?: { code?: string } }[];
  };
  return { status: response.status, code: body.errors?.[0]?.extensions?.code, users: body.data?.users };
}

/** Issue 13: staff give another system an API client in the browser, and take it back. */
describe('API clients', () => {
  let staff: StudentPage;

  beforeAll(async () => {
    staff = await openAs('staff');
    await staff.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: world.server.url });
  });
  afterAll(() => staff?.close());

  it('staff create a client, copy its token once, the token works; revoked, it is refused', async () => {
    const { page } = staff;
    await page.goto('/staff/exams');
    await page.getByRole('link', { name: 'Сыртқы жүйелер' }).click();
    await page.getByRole('heading', { name: 'Сыртқы жүйелер', level: 1 }).waitFor();

    await page.getByTestId('api-client-name').fill('Контингент (SIS)');
    await page.getByTestId('scope-USERS_READ').getByRole('checkbox').check();
    await page.getByTestId('create-api-client').click();
    const panel = page.getByTestId('new-token-panel');
    await panel.waitFor();
    expect(await panel.textContent()).toContain('қайта көрсетілмейді');
    await screenshot(page, '95-api-client-token-kk');
    await expectAccessible(page, 'API clients, token shown');

    await panel.getByRole('button', { name: 'Токенді көшіру' }).click();
    const token = await page.evaluate(() => navigator.clipboard.readText());
    expect(token).toMatch(/^att_[\w-]{43}$/);
    expect(await page.getByTestId('new-token').textContent()).toBe(token);

    const allowed = await asClient(token);
    expect(allowed.code).toBeUndefined();
    expect(allowed.users?.length).toBeGreaterThan(0);

    // closed, the token is gone from the page for good; the list shows only its first characters
    await page.getByTestId('token-done').click();
    await page.getByTestId('new-token-panel').waitFor({ state: 'detached' });
    await page.reload();
    const row = page.locator('tr[data-client="Контингент (SIS)"]');
    await row.waitFor();
    expect(await page.content()).not.toContain(token);
    expect(await row.textContent()).toContain(token.slice(0, 8));
    expect(await row.textContent()).toContain('Пайдаланушыларды оқу');
    expect(await row.textContent()).not.toContain('Пайдаланылмаған'); // used once above

    await row.getByTestId('revoke').click();
    await page.locator('app-confirm-dialog button.confirm').click();
    await row.getByTestId('api-client-state').filter({ hasText: 'Қайтарып алынған' }).waitFor();
    await screenshot(page, '96-api-client-revoked-kk');

    const refused = await asClient(token);
    expect(refused.code).toBe('UNAUTHENTICATED');
    expect(refused.users).toBeUndefined();
  });
});
