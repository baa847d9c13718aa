import type { Page } from 'playwright-core';
import path from 'node:path';
import { ARTIFACTS, openStudent, screenshot, type StudentPage, world } from './support/browser';
import { openAs, serverNow } from './support/people';

/**
 * The smaller things of issue 11 in a real browser: the board in sight on 1366×768, one confirmation for a double
 * click, focus on the next step, the board in forced colours, and the live room filtered, sorted and reloaded.
 */
describe('the board at a glance and the live room by state', () => {
  let examId = '';
  let student: StudentPage; //  student27: chooses a ticket
  let watcher: StudentPage; //  student28: watches the board in forced colours
  const students: Record<string, string> = {};

  beforeAll(async () => {
    const staff = world.staff.token;
    const periodId = await world.api.currentPeriodId(staff);
    const refs = await world.api.call<{ disciplines: { id: string }[]; users: { id: string; login: string }[] }>(
      staff,
      '{ disciplines { id } users { id login } }',
    );
    for (const user of refs.users) students[user.login] = user.id;
    const teacher = await world.api.call<{ users: { id: string }[] }>(staff, '{ users(role: TEACHER) { id } }');
    const now = await serverNow(staff);
    const { createExam } = await world.api.call<{ createExam: { id: string } }>(
      staff,
      'mutation($i:ExamInput!){ createExam(input:$i) { id } }',
      {
        i: {
          periodId,
          disciplineId: refs.disciplines[1].id,
          teacherId: teacher.users[0].id,
          studentIds: ['student27', 'student28', 'student29'].map((login) => students[login]),
          format: 'TICKETS',
          ticketAssignment: 'STUDENT_CHOICE',
          startsAt: new Date(now - 60_000).toISOString(),
          endsAt: new Date(now + 3_600_000).toISOString(),
        },
      },
    );
    examId = createExam.id;
    for (let n = 1; n <= 30; n++)
      await world.api.call(
        staff,
        'mutation($e:ID!,$n:Int!,$q:String!){ addTicket(examId:$e, number:$n, questions:$q){ id } }',
        {
          e: examId,
          n,
          q: `Questions of ticket ${n}`,
        },
      );
    // a platform too, as at the demo's exams: one more card that must not push the board down
    await world.api.call(staff, 'mutation($e:ID!,$p:PlatformInput){ setPlatform(examId:$e, platform:$p){ id } }', {
      e: examId,
      p: { name: 'Zoom', url: 'https://zoom.us/j/123', login: '123 456 789', password: 'exam2026' },
    });
    student = await openStudent('student27');
    watcher = await openStudent('student28');
  });

  afterAll(async () => {
    await student?.close();
    await watcher?.close();
  });

  const active = (page: Page) =>
    page.evaluate(() => {
      const el = document.activeElement;
      return { tag: el?.tagName ?? null, id: el?.id ?? null, testId: el?.getAttribute('data-testid') ?? null };
    });

  it('shows the whole board without scrolling on 1366×768, and a double click asks once', async () => {
    const { page } = student;
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(`/attestation/${examId}`);
    const board = page.getByTestId('ticket-board');
    await board.waitFor();
    expect(await page.locator('[data-testid=ticket-board] button.tile').count()).toBe(30);
    const box = (await board.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height)
      .withContext('the board, its last row of tiles included, is above the fold')
      .toBeLessThanOrEqual(768);
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    await page.screenshot({ path: path.join(ARTIFACTS, '80-board-1366x768-kk.png') }); // the viewport only: what is in sight

    await page.getByRole('button', { name: 'Бос билет' }).nth(2).dblclick();
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    await page.waitForTimeout(700); // longer than the double click's settling time
    expect(await dialog.count())
      .withContext('the second click did not close it')
      .toBe(1);
    await screenshot(page, '81-one-confirmation-kk');
  });

  it('moves focus to the questions step after the choice, not to the body', async () => {
    const { page } = student;
    await page.getByRole('alertdialog').getByRole('button', { name: 'Билетті таңдау' }).click();
    await page.getByTestId('ticket-number').waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'questions-heading', undefined, {
      timeout: 5_000,
    });
    expect(await active(page)).toEqual({ tag: 'H2', id: 'questions-heading', testId: null });

    await page.getByRole('button', { name: 'Билет бойынша сұрақтарды көрсету' }).click();
    await page.getByTestId('questions-pending').waitFor();
    // the release arrives while the student waits on the button: the questions take its place, and the focus
    await world.api.releaseQuestions(world.staff.token, examId, [students['student27']]);
    await page.getByTestId('questions').waitFor({ timeout: 10_000 });
    await page.waitForFunction(() => document.activeElement?.id === 'questions-title', undefined, {
      timeout: 5_000,
    });
  });

  it('draws free and taken tiles apart in forced colours, and the hint names what is seen', async () => {
    const { page } = watcher;
    await page.emulateMedia({ forcedColors: 'active' });
    await page.goto(`/attestation/${examId}`);
    await page.getByText('Бос: 29, алынған: 1').waitFor();
    expect(await page.getByTestId('board-hint').isVisible()).toBeFalse();
    const hint = page.getByTestId('board-hint-forced');
    expect(await hint.isVisible()).toBeTrue();
    expect(await hint.innerText()).toContain('жиегі тұтас');
    const look = (selector: string) =>
      page
        .locator(selector)
        .first()
        .evaluate((tile) => {
          const style = getComputedStyle(tile);
          return {
            border: `${style.borderTopStyle} ${style.borderTopWidth}`,
            mark: getComputedStyle(tile, '::after').content,
          };
        });
    const free = await look('button.tile.free');
    const taken = await look('button.tile.taken');
    expect(free.border).toBe('solid 3px');
    expect(taken.border).toBe('dashed 2px');
    expect(taken.mark).toContain('✕');
    expect(free.mark).toBe('none');
    await screenshot(page, '82-board-forced-colours-kk');

    await page.emulateMedia({ forcedColors: 'none' });
    expect(await page.getByTestId('board-hint').isVisible()).toBeTrue();
    expect(await hint.isVisible()).toBeFalse();
  });

  it('filters the live room by state and sorts it, keeps both over a reload, and records one «Кірді» an entry', async () => {
    const staff = await openAs('staff');
    try {
      const { page } = staff;
      await page.setViewportSize({ width: 1366, height: 768 });
      await page.goto(`/staff/exams/${examId}/room`);
      const rows = () =>
        page
          .locator('table[data-testid=room] tbody tr')
          .evaluateAll((r) => r.map((x) => x.getAttribute('data-student')));
      await page.locator('tr[data-student=student28] [data-online=true]').waitFor();
      expect((await rows()).length).toBe(3);

      const filter = (key: string) => page.locator(`[data-testid=room-filters] [data-filter=${key}]`);
      expect((await filter('notEntered').innerText()).replace(/\s+/g, ' ')).toBe('Кірген жоқ 1');
      await filter('notEntered').click();
      await page.waitForURL(/\?state=notEntered$/);
      expect(await rows()).toEqual(['student29']);
      expect(await filter('notEntered').getAttribute('aria-pressed')).toBe('true');

      await filter('online').click();
      await page.waitForURL(/\?state=online$/);
      expect((await rows()).sort()).toEqual(['student27', 'student28']);
      await page.locator('th button[data-sort=questions]').click();
      await page.waitForURL(/state=online&sort=questions&dir=desc/);
      expect(await rows()).toEqual(['student27', 'student28']); // viewed first
      expect(await page.locator('th:has(button[data-sort=questions])').getAttribute('aria-sort')).toBe('descending');
      await screenshot(page, '83-room-filtered-sorted-kk');

      await page.reload();
      await page.locator('table[data-testid=room] tbody tr').first().waitFor();
      expect(await rows()).toEqual(['student27', 'student28']);
      expect(await filter('online').getAttribute('aria-pressed')).toBe('true');
      expect(await page.locator('th:has(button[data-sort=questions])').getAttribute('aria-sort')).toBe('descending');

      // the trail of the student who entered once, reloaded nothing: one «Кірді»; closing it gives focus back
      const actions = page.locator('tr[data-student=student27] [data-testid=row-actions]');
      await actions.click();
      await page.getByTestId('menu-trail').click();
      const trail = page.getByTestId('trail');
      await trail.waitFor();
      const kinds = await trail.locator('tbody tr td:nth-child(2)').allInnerTexts();
      expect(kinds.filter((k) => k === 'Кірді').length)
        .withContext(kinds.join(', '))
        .toBe(1);
      await page.keyboard.press('Escape');
      await trail.waitFor({ state: 'detached' });
      expect(await active(page)).toEqual({ tag: 'BUTTON', id: '', testId: 'row-actions' });
      expect(await actions.evaluate((button) => button === document.activeElement)).toBeTrue();
    } finally {
      await staff.close();
    }
  });
});
