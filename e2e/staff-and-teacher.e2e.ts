import type { Locator } from 'playwright-core';
import { expectAccessible, expectNoEnglishUi, screenshot, type StudentPage, world } from './support/browser';
import { almaty, choose, downloaded, openAs, serverNow } from './support/people';

const MINUTE = 60_000;
const PENDING = 'Өтінеміз, күте тұрыңыз. Сұрақтар әлі жіберілген жоқ';
const TICKETS = [
  'Билет 1',
  '1. Сұрыптау алгоритмдерін салыстырыңыз.',
  '2. Жылдам сұрыптаудың күрделілігі қандай?',
  '',
  'Билет 2',
  '1. Хэш-кесте қалай жұмыс істейді?',
  '2. Коллизияларды шешу тәсілдері.',
  '',
  'Билет 3',
  '1. Графты ендік бойынша аралау.',
  '2. Дейкстра алгоритмі.',
].join('\n');

/**
 * Issue #4 end to end: staff prepare an exam in the browser, run it live while students take it in their own
 * browsers at the same time, the teacher grades, and the grade reaches the student's page and the journals.
 */
describe('an exam prepared, run and graded from the browser', () => {
  let staff: StudentPage; //   the registrar, in the room
  let aliya: StudentPage; //   student21: enters and leaves, gets her questions, sends, is graded
  let arman: StudentPage; //   student22: waits for questions that do not come; gets extra time
  let teacher: StudentPage; // teacher: grades
  let examId = '';
  const row = (login: string) => staff.page.locator(`tr[data-student=${login}]`);
  const presence = (login: string) => row(login).getByTestId('presence');

  beforeAll(async () => {
    staff = await openAs('staff');
  });

  afterAll(async () => {
    for (const browser of [staff, aliya, arman, teacher]) await browser?.close();
  });

  it('lets a student never reach the staff or teacher screens, and gives each role its menu', async () => {
    const student = await openAs('student23');
    try {
      for (const path of ['/staff/exams', '/teaching/exams', '/staff/journal']) {
        await student.page.goto(path);
        await student.page.waitForURL((url) => url.pathname === '/');
      }
      const menu = student.page.getByRole('navigation', { name: 'Басты мәзір' });
      expect(await menu.getByRole('link', { name: 'Емтихандар' }).count()).toBe(0);
      await menu.getByRole('link', { name: 'Журнал' }).waitFor();
    } finally {
      await student.close();
    }
    await staff.page.goto('/teaching/exams');
    await staff.page.waitForURL((url) => url.pathname === '/');
    const menu = staff.page.getByRole('navigation', { name: 'Басты мәзір' });
    await menu.getByRole('link', { name: 'Емтихандар' }).waitFor();
    expect(await menu.getByRole('link', { name: 'Аралық аттестаттау' }).count()).toBe(0);
  });

  it('creates an exam: discipline, teacher, date and times, tickets chosen by students, students pasted as logins', async () => {
    const { page } = staff;
    await page.getByRole('navigation', { name: 'Басты мәзір' }).getByRole('link', { name: 'Емтихандар' }).click();
    await page.getByRole('heading', { name: 'Онлайн емтихандар' }).waitFor();
    await page.getByTestId('staff-exams').waitFor();
    await screenshot(page, '60-staff-exams-kk');
    await expectNoEnglishUi(page, 'staff exam list');
    await expectAccessible(page, 'staff exam list');

    await page.getByTestId('new-exam').click();
    await page.getByRole('heading', { name: 'Жаңа емтихан' }).waitFor();
    await page.getByTestId('form-period').filter({ hasText: '1-академиялық кезең' }).waitFor();
    await choose(page, 'form-discipline', /Алгоритмдер және деректер құрылымдары/);
    await choose(page, 'form-teacher', 'Нұрлан Әбенов');
    // issue 12: this exam shows each grade as soon as it is saved (publication has its own e2e)
    await choose(page, 'form-results-release', 'Баға қойылған бойда');
    // an hour from now: not started, so nothing needs confirming yet
    const later = almaty((await serverNow(world.staff.token)) + 60 * MINUTE);
    await page.getByTestId('form-date').fill(later.date);
    await page.getByTestId('form-start').fill(later.time);
    await page.getByTestId('form-end').fill(almaty((await serverNow(world.staff.token)) + 240 * MINUTE).time);
    await page.getByTestId('paste-logins').fill('student21, student22\nstudent23 nobody99');
    await page.getByTestId('add-logins').click();
    await page.getByText('Қосылды: 3. Табылмаған логиндер: nobody99.').waitFor();
    await page.getByTestId('enrolled-count').filter({ hasText: 'таңдалды: 3' }).waitFor();
    // issue 13: the chosen show as chips; the list is searched on the server, a page at a time
    const chips = page.getByTestId('picked-students').locator('mat-chip');
    expect((await chips.evaluateAll((els) => els.map((el) => el.getAttribute('data-login')))).sort()).toEqual([
      'student21',
      'student22',
      'student23',
    ]);
    await page.getByTestId('find-student').fill('STUDENT22');
    await page.getByTestId('found-students').locator('li').filter({ hasText: 'student22' }).waitFor();
    await expectCount(page.getByTestId('found-students').locator('li'), 1);
    expect(await page.getByTestId('found-students').locator('input[type=checkbox]').isChecked()).toBeTrue();
    await page.getByTestId('find-student').fill('');
    await page.getByTestId('found-students').locator('li').nth(9).waitFor(); // the first page again
    await screenshot(page, '61-exam-form-kk');
    await expectNoEnglishUi(page, 'exam form');
    await expectAccessible(page, 'exam form');

    await page.getByTestId('save-exam').click();
    await page.waitForURL(/\/staff\/exams\/[^/?]+\?tab=content$/);
    examId = new URL(page.url()).pathname.split('/').pop()!;
    await page.getByRole('heading', { name: /Алгоритмдер және деректер құрылымдары/ }).waitFor();
  });

  it('enters three tickets at once, attaches a file to one, and sets the platform', async () => {
    const { page } = staff;
    await page.getByText('Билеттер әлі енгізілмеген.').waitFor();
    await page.getByTestId('bulk-tickets').fill(TICKETS);
    await page.getByTestId('bulk-preview').filter({ hasText: 'Билеттер саны: 3 (№ 1–3).' }).waitFor();
    await page.getByTestId('add-bulk').click();
    await page.getByTestId('tickets-notice').filter({ hasText: 'Қосылған билеттер: 3.' }).waitFor();
    await page.locator('li.ticket').nth(2).waitFor();
    expect(await page.locator('li.ticket[data-ticket-number="2"]').innerText()).toContain(
      'Коллизияларды шешу тәсілдері.',
    );

    await page
      .getByTestId('ticket-file-input-1')
      .setInputFiles({ name: 'sorting.txt', mimeType: 'text/plain', buffer: Buffer.from('quick, merge, heap') });
    await page.locator('li.ticket[data-ticket-number="1"]').getByRole('link', { name: 'sorting.txt' }).waitFor();
    await screenshot(page, '62-tickets-kk');
    await expectNoEnglishUi(page, 'tickets');
    await expectAccessible(page, 'tickets');

    await page.getByRole('tab', { name: 'Платформа және бейнежазба' }).click();
    await page.getByTestId('platform-name').fill('Zoom');
    await page.getByTestId('platform-url').fill('https://zoom.us/j/9876543210');
    await page.getByTestId('platform-login').fill('987 654 3210');
    await page.getByTestId('platform-password').fill('algo2026');
    await page.getByTestId('save-platform').click();
    await page.getByText('Платформа сақталды.').waitFor();
    await screenshot(page, '63-platform-kk');
  });

  it('starts the exam now, and asks before changing a ticket of a started exam', async () => {
    const { page } = staff;
    await page.getByRole('tab', { name: 'Негізгі мәліметтер' }).click();
    const now = await serverNow(world.staff.token);
    const start = almaty(now - MINUTE);
    await page.getByTestId('form-date').fill(start.date);
    await page.getByTestId('form-start').fill(start.time);
    await page.getByTestId('form-end').fill(almaty(now + 180 * MINUTE).time);
    await page.getByTestId('save-exam').click();
    await page.getByText('Емтихан басталды: әр өзгерісті растау қажет.').waitFor();

    await page.getByRole('tab', { name: 'Билеттер' }).click();
    const second = page.locator('li.ticket[data-ticket-number="2"]');
    await second.getByRole('button', { name: '2-билетті өзгерту' }).click();
    await second.locator('textarea').fill('1. Хэш-кесте қалай жұмыс істейді?\n2. Ашық адрестеу мен тізбектер.');
    await second.getByRole('button', { name: 'Сақтау' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText('Емтихан басталып кетті').waitFor();
    await screenshot(page, '64-started-confirm-kk');
    await dialog.getByRole('button', { name: 'Иә, өзгерту' }).click();
    await page.getByTestId('tickets-notice').filter({ hasText: '2-билет сақталды.' }).waitFor();
    await second.filter({ hasText: 'Ашық адрестеу мен тізбектер.' }).waitFor(); // the page re-reads the exam
  });

  it('shows in the live room a student entering and leaving within seconds (R2.1)', async () => {
    const { page } = staff;
    await page.getByTestId('open-room').click();
    await page.getByRole('heading', { name: 'Тікелей бақылау: Алгоритмдер және деректер құрылымдары' }).waitFor();
    await presence('student21').filter({ hasText: 'Кірген жоқ' }).waitFor();
    await page.locator('[data-count=online]').filter({ hasText: '0 / 3' }).waitFor();

    aliya = await openAs('student21');
    await aliya.page.goto(`/attestation/${examId}`);
    await presence('student21').and(page.locator('[data-online=true]')).waitFor({ timeout: 5_000 });
    expect(await presence('student21').innerText()).toMatch(/\d\d:\d\d:\d\d бастап желіде/);
    await page.locator('[data-count=online]').filter({ hasText: '1 / 3' }).waitFor();
    await screenshot(page, '70-room-online-kk');

    await aliya.close();
    await presence('student21').and(page.locator('[data-online=false]')).waitFor({ timeout: 5_000 });
    expect(await presence('student21').innerText()).toMatch(/\d\d:\d\d:\d\d бастап желіден тыс/);
    await page.locator('[data-count=online]').filter({ hasText: '0 / 3' }).waitFor();
  });

  it('releases the questions to one student: only her page shows them, without a reload (R5.3)', async () => {
    aliya = await openAs('student21');
    arman = await openAs('student22');
    for (const [student, nth] of [
      [aliya, 0],
      [arman, 1],
    ] as const) {
      await student.page.goto(`/attestation/${examId}`);
      await student.page.getByRole('button', { name: 'Бос билет' }).nth(nth).click();
      await student.page.getByRole('alertdialog').getByRole('button', { name: 'Билетті таңдау' }).click();
      await student.page.getByTestId('ticket-number').waitFor();
      await student.page.getByRole('button', { name: 'Билет бойынша сұрақтарды көрсету' }).click();
      await student.page.getByTestId('questions-pending').filter({ hasText: PENDING }).waitFor(); // not the live region's copy
    }
    const { page } = staff;
    await page.locator('[data-count=ticket]').filter({ hasText: '2 / 3' }).waitFor({ timeout: 5_000 });
    await page.getByRole('checkbox', { name: 'Әлия Нұрланқызы 3: таңдау' }).check();
    await page.getByTestId('release-selected').filter({ hasText: '(1)' }).click();
    await page.getByTestId('room-notice').filter({ hasText: 'Сұрақтар жіберілді: 1 білім алушы.' }).waitFor();

    await aliya.page.getByTestId('questions').waitFor({ timeout: 5_000 });
    await aliya.page.getByTestId('answers').waitFor();
    // the other student's page: still waiting, no questions
    await arman.page.waitForTimeout(1_000);
    expect(await arman.page.getByTestId('questions').count()).toBe(0);
    expect(await arman.page.getByTestId('questions-pending').count()).toBe(1);

    await row('student21')
      .getByTestId('questions')
      .filter({ hasText: /Көрді \d\d:\d\d:\d\d/ })
      .waitFor({ timeout: 5_000 });
    expect(await row('student22').getByTestId('questions').innerText()).toBe('Жіберілмеген');
    await page.locator('[data-count=viewed]').filter({ hasText: '1 / 3' }).waitFor();
    await screenshot(page, '71-room-released-kk');
    await expectNoEnglishUi(page, 'live room');
    await expectAccessible(page, 'live room');
  });

  it('gives one student extra time, and keeps the audit trail for appeals, exportable', async () => {
    const { page } = staff;
    await row('student22').getByTestId('row-actions').click();
    await page.getByTestId('menu-extra-time').click();
    await page.getByTestId('extra-minutes').fill('15');
    await page.getByTestId('extra-new-end').filter({ hasText: 'Жаңа аяқталу уақыты:' }).waitFor();
    await screenshot(page, '72-extra-time-kk');
    await page.getByTestId('extra-give').click();
    await row('student22').getByTestId('extra-time').filter({ hasText: 'дейін (қосымша уақыт)' }).waitFor();
    // the student's page hears it at once (mySittingChanged) and counts down to the later end
    await arman.page.getByText('Сізге қосымша уақыт берілді').waitFor({ timeout: 5_000 });

    await row('student21').getByTestId('row-actions').click();
    await page.getByTestId('menu-trail').click();
    const trail = page.getByTestId('trail');
    await trail.waitFor();
    const kinds = await trail.locator('tbody tr td:nth-child(2)').allInnerTexts();
    for (const kind of ['Кірді', 'Шықты', 'Билет таңдады', 'Сұрақтар жіберілді', 'Сұрақтарды көрді'])
      expect(kinds).toContain(kind);
    expect(await trail.innerText()).toContain('Айгүл Серікова'); // who released
    await screenshot(page, '73-audit-trail-kk');
    const csv = await downloaded(page, () => page.getByTestId('trail-export').click());
    expect(csv.name).toMatch(/^Әрекеттер тарихы .+ student21\.csv$/);
    expect(csv.text.charCodeAt(0)).toBe(0xfeff);
    expect(csv.text).toContain('Білім алушы;Логин;Уақыты (Asia/Almaty);Дүниежүзілік уақыт;Әрекет;Кім;Толығырақ');
    expect(csv.text).toMatch(/Әлия Нұрланқызы 3;student21;.+;Сұрақтар жіберілді;Айгүл Серікова/);
    await page.locator('mat-dialog-container').getByRole('button', { name: 'Жабу' }).click();
  });

  it("shows the draft's time but never its text, then the sending, live", async () => {
    const { page } = staff;
    await aliya.page
      .getByTestId('answer-text')
      .fill('Жылдам сұрыптау орташа жағдайда O(n log n), ең нашар жағдайда O(n²).');
    await row('student21')
      .getByTestId('answer')
      .filter({ hasText: /Жоба сақталды \d\d:\d\d:\d\d/ })
      .waitFor({ timeout: 15_000 });
    expect(await page.locator('body').innerText()).not.toContain('Жылдам сұрыптау орташа');

    await aliya.page.getByTestId('send').click();
    await aliya.page.getByRole('alertdialog').getByRole('button', { name: 'Жіберу' }).click();
    await aliya.page.getByTestId('sent').waitFor();
    await row('student21')
      .getByTestId('answer')
      .filter({ hasText: /Жіберілді \d\d:\d\d:\d\d/ })
      .waitFor({ timeout: 5_000 });
    await page.locator('[data-count=sent]').filter({ hasText: '1 / 3' }).waitFor();

    for (const [lang, heading, name] of [
      ['Русский', 'Наблюдение: Алгоритмдер және деректер құрылымдары', '74-room-ru'],
      ['English', 'Live room: Алгоритмдер және деректер құрылымдары', '75-room-en'],
    ]) {
      await page.getByText(lang, { exact: true }).click();
      await page.getByRole('heading', { name: heading }).waitFor();
      await screenshot(page, name);
    }
    await page.getByText('Қазақша', { exact: true }).click();
  });

  it('lets the teacher grade the sent answer beside its questions, with the letter shown as the score is typed (R7.7)', async () => {
    teacher = await openAs('teacher');
    const { page } = teacher;
    await page.goto('/');
    await page
      .getByRole('navigation', { name: 'Басты мәзір' })
      .getByRole('link', { name: 'Менің емтихандарым' })
      .click();
    await page.getByTestId('teacher-exams').waitFor();
    await screenshot(page, '80-teacher-exams-kk');
    await page.locator(`a[href="/teaching/exams/${examId}"]`).click();
    await page.getByTestId('graded-count').filter({ hasText: 'Бағаланды: 0 / 1' }).waitFor();
    expect(await page.getByTestId('sent-answers').innerText()).not.toContain('Арман'); // a draft never reaches the teacher

    await page.getByTestId('sent-answers').locator('[data-student=student21]').click();
    await page.getByTestId('answer-text').filter({ hasText: 'Жылдам сұрыптау орташа жағдайда' }).waitFor();
    expect(await page.getByTestId('task-pane').innerText()).toMatch(/1\. .+\n?.*2\. /s);

    await page.getByTestId('score').fill('8');
    await page.getByTestId('grade-preview').filter({ hasText: 'F' }).waitFor();
    await page.getByTestId('score').fill('88');
    await page.getByTestId('grade-preview').filter({ hasText: 'B+ Сандық эквиваленті: 3,33' }).waitFor();
    await page.getByTestId('comment').fill('Жақсы, күрделілік дұрыс бағаланған.');
    await screenshot(page, '81-grading-kk');
    await expectNoEnglishUi(page, 'grading');
    await expectAccessible(page, 'grading');
    // before saving: at this AT_ONCE exam a saved grade is published and locked at once
    await page.getByText('English', { exact: true }).click();
    await page.getByTestId('grade-preview').filter({ hasText: 'B+ GPA points: 3.33' }).waitFor();
    await screenshot(page, '82-grading-en');
    await page.getByText('Қазақша', { exact: true }).click();
    await page.getByTestId('grade-preview').filter({ hasText: 'B+ Сандық эквиваленті: 3,33' }).waitFor();
    await page.getByTestId('save-grade').click();
    await page
      .getByTestId('grading-notice')
      .filter({ hasText: 'Баға сақталды: Әлия Нұрланқызы 3 — 88 (B+).' })
      .waitFor();
    await page.getByTestId('graded-count').filter({ hasText: 'Бағаланды: 1 / 1' }).waitFor();

    // staff watching the room see the grade arrive
    await row('student21').getByTestId('grade').filter({ hasText: '88 · B+' }).waitFor({ timeout: 5_000 });
  });

  it("shows the grade on the student's page and in her journal, and in the teacher's journal, exportable", async () => {
    // her open page shows the grade without a reload (mySittingChanged)
    await aliya.page.getByTestId('grade').filter({ hasText: '88 балл — B+' }).waitFor({ timeout: 5_000 });
    await aliya.page.getByRole('navigation', { name: 'Басты мәзір' }).getByRole('link', { name: 'Журнал' }).click();
    const mine = aliya.page
      .getByTestId('my-journal')
      .locator('tr[data-discipline=CSE-220]')
      .filter({ hasText: '88 балл' });
    await mine.waitFor();
    expect(await mine.innerText()).toContain('88 балл — B+ (3,33)');
    await screenshot(aliya.page, '85-student-journal-kk');
    await expectNoEnglishUi(aliya.page, 'student journal');

    const { page } = teacher;
    await page.getByRole('navigation', { name: 'Басты мәзір' }).getByRole('link', { name: 'Журнал' }).click();
    await choose(page, 'discipline-filter', /Алгоритмдер және деректер құрылымдары/);
    const line = page.getByTestId('journal').locator('tr[data-student=student21]');
    await line.waitFor();
    expect(await line.innerText()).toMatch(/88\s*B\+\s*3,33/);
    await screenshot(page, '83-journal-kk');
    await expectAccessible(page, 'journal');
    const csv = await downloaded(page, () => page.getByTestId('journal-export').click());
    expect(csv.name).toMatch(/^Журнал CSE-220 .+\.csv$/);
    expect(csv.text).toMatch(/Әлия Нұрланқызы 3;student21;(.*;)?88;B\+;3,33/); // a Kazakh Excel's dialect

    await page.getByText('Русский', { exact: true }).click();
    await page.getByRole('heading', { name: 'Журнал' }).waitFor();
    await page.getByText('Без оценки').first().waitFor();
    await screenshot(page, '84-journal-ru');
  });
});

/** waits until `locator` matches exactly `n` elements (the search answers after a pause in typing) */
async function expectCount(locator: Locator, n: number): Promise<void> {
  for (let i = 0; i < 100 && (await locator.count()) !== n; i++) await new Promise((r) => setTimeout(r, 50));
  expect(await locator.count()).toBe(n);
}
