import type { Page } from 'playwright-core';
import { world } from './support/browser';

/**
 * Issue 8: the production build runs under the server's Content-Security-Policy (helmet, server/src/common/http-guards.ts)
 * without a single violation — the login page, the exam list and an exam page with its WebSocket.
 */
describe('the Content-Security-Policy', () => {
  let page: Page;
  const violations: string[] = [];

  beforeAll(async () => {
    const context = await world.browser.newContext({
      baseURL: world.server.url,
      viewport: { width: 1280, height: 900 },
      locale: 'kk-KZ',
    });
    // every violation, whether or not the browser also prints it
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`);
      });
    });
    page = await context.newPage();
    page.on('console', (message) => {
      if (/Content.Security.Policy|CSP violation|Refused to/i.test(message.text())) violations.push(message.text());
    });
  });

  afterAll(async () => {
    await page.context().close();
  });

  it('is sent with the app and forbids inline scripts', async () => {
    const response = await page.goto('/attestation');
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(response?.headers()['x-content-type-options']).toBe('nosniff');
  });

  it('is kept by the login page, the exam list and an exam page', async () => {
    await page.waitForURL(/\/login/);
    await page.locator('input[name=login]').waitFor();
    expect(violations).withContext('login page').toEqual([]);

    await page.fill('input[name=login]', 'student01');
    await page.fill('input[name=password]', 'demo');
    await page.click('button[type=submit]');
    await page.locator('table tr[mat-row]').first().waitFor({ timeout: 30_000 });
    expect(violations).withContext('exam list').toEqual([]);

    await page.locator('[data-state=open]').first().locator('xpath=ancestor::tr').locator('a.discipline').click();
    await page.waitForURL(/\/attestation\/[^/]+$/);
    // the page's subscriptions open the WebSocket: connect-src 'self' must allow ws:// to this origin
    await page.getByTestId('connection').filter({ hasText: 'Байланыс бар' }).waitFor({ timeout: 20_000 });
    expect(violations).withContext('exam page').toEqual([]);
  });
});
