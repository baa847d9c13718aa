import {
  expectAccessible,
  expectButton,
  expectNoEnglishUi,
  openStudent,
  screenshot,
  type StudentPage,
  world,
} from './support/browser';

/** R6, R3 and the time rules on a task exam; the device is in New York with a clock three hours fast. */
describe('a task exam', () => {
  let exam = { id: '', startsAt: '', endsAt: '' };
  let ilyas: StudentPage; // student06

  beforeAll(async () => {
    exam = await world.api.examByCode(world.staff.token, 'CSE-310');
    ilyas = await openStudent('student06', {
      timezoneId: 'America/New_York',
      deviceClockSkewMs: 3 * 3600_000,
      lang: 'en',
    });
    await ilyas.page.goto(`/attestation/${exam.id}`);
    await ilyas.page.getByTestId('task').waitFor();
  });

  afterAll(async () => {
    await ilyas?.close();
  });

  it("shows the task, the platform with its link, and times in the university's zone", async () => {
    const { page } = ilyas;
    expect(await page.getByTestId('task').innerText()).toContain('Design the addressing plan of a campus network');
    const link = page.getByTestId('platform').getByRole('link', { name: /Microsoft Teams/ });
    expect(await link.getAttribute('href')).toBe('https://teams.microsoft.com/l/meetup-join/demo');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await page.getByText('Copy the login').count()).toBe(0); // no login given with this platform

    const almaty = (iso: string) =>
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Almaty', timeStyle: 'short' }).format(new Date(iso));
    const info = await page.getByTestId('info').innerText();
    expect(info).toContain(almaty(exam.startsAt));
    expect(info).toContain(almaty(exam.endsAt));
    expect(await page.getByText('Time zone: Asia/Almaty').count()).toBe(1);
    await screenshot(page, '30-task-exam-en');
    await expectAccessible(page, 'task exam');
  });

  it("counts down on the server's clock, not the device's", async () => {
    const shown = await ilyas.page.getByRole('timer').innerText();
    const [h, m, s] = shown
      .match(/(\d\d):(\d\d):(\d\d)/)!
      .slice(1)
      .map(Number);
    const remaining = (h * 3600 + m * 60 + s) * 1000;
    const expected = Date.parse(exam.endsAt) - Date.now();
    expect(Math.abs(remaining - expected)).toBeLessThan(5000);
  });

  it('answers the task with text only and sends it', async () => {
    const { page } = ilyas;
    await page.getByText('Қазақша', { exact: true }).click();
    await page.getByRole('heading', { name: 'Жауаптар' }).waitFor();
    await page.getByTestId('answer-text').fill('  short  ');
    await expectButton(page, 'send', 'disabled');
    await page.getByTestId('sync-state').filter({ hasText: 'кемінде 10 белгі' }).waitFor();
    await page
      .getByTestId('answer-text')
      .fill('Three faculties: /22, /23 and /24 for IPv4, a /48 split into /64s for IPv6.');
    await page.getByTestId('save').click();
    await page.getByTestId('sync-state').filter({ hasText: 'Серверде сақталды' }).waitFor();
    await screenshot(page, '31-task-answer-kk');
    await expectNoEnglishUi(page, 'task answer');

    // keyboard only: Tab from the text to «Жауапты жіберу», Enter, then Tab and Enter in the dialog
    await page.getByTestId('answer-text').focus();
    for (
      let i = 0;
      i < 10 && !(await page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'send'));
      i++
    ) {
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Enter');
    await page.getByRole('alertdialog').waitFor();
    await page.waitForFunction(() => document.activeElement?.textContent?.includes('Болдырмау'));
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByTestId('sent').waitFor();
    expect((await world.api.myAnswer(ilyas.student.token, exam.id))?.status).toBe('SUBMITTED');
  });
});

describe('a finished exam with a grade and a recording', () => {
  it('shows the grade with its letter and the recording link (R2.5, R8.1)', async () => {
    const student = await openStudent('student04', { lang: 'ru' });
    try {
      const exam = await world.api.examByCode(world.staff.token, 'HIS-101');
      await student.page.goto(`/attestation/${exam.id}`);
      await student.page.getByTestId('grade').filter({ hasText: '81 баллов — B (3,0)' }).waitFor();
      const recording = student.page.getByTestId('recording').getByRole('link', { name: 'Смотреть видеозапись' });
      expect(await recording.getAttribute('href')).toBe('https://video.example.edu.kz/recordings/his-101');
      await student.page.getByText('Время экзамена истекло').first().waitFor();
      expect(await student.page.getByTestId('sent').innerText()).toContain('Ответ отправлен');
      await screenshot(student.page, '32-finished-graded-recording-ru');
      await expectAccessible(student.page, 'finished exam');
    } finally {
      await student.close();
    }
  });
});
