import { expectButton, openStudent, PHONE, screenshot, world } from './support/browser';
import { openAs } from './support/people';
import { E2E_SEND_GRACE_MS } from './support/server';

const sleepUntil = (at: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));

/** the answer as the server holds it, with how it was sent */
async function sentAnswer(token: string, examId: string) {
  const data = await world.api.call<{
    exam: {
      mySitting: { answerSendMode: string | null; answer: { text: string; status: string; submittedAt: string } };
    };
  }>(token, 'query($e:ID!){ exam(id:$e){ mySitting { answerSendMode answer { text status submittedAt } } } }', {
    e: examId,
  });
  return data.exam.mySitting;
}

/**
 * Issue 11: a student who only autosaved finds her answer sent at the end — with the page open, and with it closed —
 * and the teacher grades it; a Send pressed before the end that arrives within the grace is taken and marked.
 * The e2e server sends drafts within a second of the end's grace (AUTO_SEND_SWEEP_MS 1000, SEND_GRACE_MS 5000).
 */
describe('drafts sent at the end (a desktop page left open, a phone page closed)', () => {
  let examId: string;
  let endsAt: number;

  it('sends the autosaved draft at the end with the page open, and the page says so', async () => {
    const [open, closed] = await Promise.all([world.api.login('student27'), world.api.login('student28')]);
    const now = Date.now();
    endsAt = now + 60_000; // two pages open and write before it, on a loaded machine
    examId = await world.api.createTaskExam(
      world.staff.token,
      [open.user.id, closed.user.id],
      new Date(now - 60_000),
      new Date(endsAt),
      { teacherLogin: 'teacher' },
    );
    // student28, on a phone, writes, is autosaved, and closes her page long before the end (the next spec re-opens it)
    const leaver = await openStudent('student28', { viewport: PHONE });
    try {
      await leaver.page.goto(`/attestation/${examId}`);
      await leaver.page.getByTestId('answer-text').fill('Екінші студенттің жауабы, бет жабық.');
      await leaver.page.getByTestId('sync-state').filter({ hasText: 'Серверде сақталды' }).waitFor();
    } finally {
      await leaver.close();
    }
    expect((await world.api.myAnswer(closed.token, examId))?.status).toBe('DRAFT');

    const student = await openStudent('student27');
    try {
      await student.page.goto(`/attestation/${examId}`);
      await student.page
        .getByTestId('send-note')
        .filter({ hasText: 'жүйе соңғы сақталған жауапты автоматты түрде жібереді' })
        .waitFor();
      await student.page.getByTestId('answer-text').fill('Менің жауабым: тек автоматты түрде сақталды.');
      await student.page.getByTestId('sync-state').filter({ hasText: 'Серверде сақталды' }).waitFor();
      await expectButton(student.page, 'send', 'enabled');
      await screenshot(student.page, '55-autosend-before-end-kk');
      // never pressing «Жауапты жіберу»: at the end the page locks, then hears its answer sent
      await student.page.getByTestId('sent').waitFor({ timeout: endsAt + E2E_SEND_GRACE_MS + 15_000 - Date.now() });
      await student.page
        .getByTestId('send-note')
        .filter({ hasText: 'жүйе сақталған жауабыңызды автоматты түрде жіберді' })
        .waitFor();
      await screenshot(student.page, '56-autosend-sent-page-open-kk');
      const mine = await sentAnswer(student.student.token, examId);
      expect(mine.answerSendMode).toBe('AUTOMATIC');
      expect(mine.answer.status).toBe('SUBMITTED');
      expect(mine.answer.submittedAt).toBe(new Date(endsAt).toISOString());
    } finally {
      await student.close();
    }
  });

  it('sends it with the page closed: re-opened after the end, the answer is sent', async () => {
    // the second student wrote during the same exam and closed her page before its end; the first spec waited past it
    expect(Date.now()).toBeGreaterThan(endsAt + E2E_SEND_GRACE_MS);
    const student = await openStudent('student28', { viewport: PHONE });
    try {
      await student.page.goto(`/attestation/${examId}`);
      await student.page
        .getByTestId('send-note')
        .filter({ hasText: 'жүйе сақталған жауабыңызды автоматты түрде жіберді' })
        .waitFor();
      expect(await student.page.getByTestId('answer-text').inputValue()).toBe('Екінші студенттің жауабы, бет жабық.');
      await screenshot(student.page, '57-autosend-sent-page-closed-phone-kk');
    } finally {
      await student.close();
    }
  });

  it('lets the teacher grade an answer sent automatically, marked as such in grading and in the room', async () => {
    const teacher = await openAs('teacher');
    const staff = await openAs('staff');
    try {
      const { page } = teacher;
      await page.goto(`/teaching/exams/${examId}`);
      const item = page.getByTestId('sent-answers').locator('[data-student=student28]');
      await item
        .getByTestId('send-mark')
        .filter({ hasText: 'Аяқталу уақытында жүйе автоматты түрде жіберді' })
        .waitFor();
      await item.click();
      await page.getByTestId('answer-text').filter({ hasText: 'Екінші студенттің жауабы' }).waitFor();
      await page.getByTestId('score').fill('77');
      await page.getByTestId('save-grade').click();
      await page.getByTestId('grading-notice').filter({ hasText: '77' }).waitFor();
      await screenshot(page, '58-autosend-grading-kk');

      await staff.page.goto(`/staff/exams/${examId}/room`);
      const row = staff.page.locator('tr[data-student=student28]');
      await row.getByTestId('send-mark').filter({ hasText: 'автоматты түрде жіберді' }).waitFor();
      await row.getByTestId('grade').filter({ hasText: '77' }).waitFor();
      await screenshot(staff.page, '59-autosend-room-kk');
    } finally {
      await teacher.close();
      await staff.close();
    }
  });
});

describe('a Send within the grace', () => {
  it('takes a Send pressed before the end that arrives after it, and marks it', async () => {
    const student = await openStudent('student29');
    try {
      const now = Date.now();
      const endsAt = now + 40_000;
      const examId = await world.api.createTaskExam(
        world.staff.token,
        [student.student.user.id],
        new Date(now - 60_000),
        new Date(endsAt),
      );
      // the network holds the send until 1.5 s after the end, as a slow connection would at the last second
      await student.page.route('**/graphql', async (route) => {
        if (route.request().postData()?.includes('SubmitAnswer')) await sleepUntil(endsAt + 1_500);
        await route.continue();
      });
      await student.page.goto(`/attestation/${examId}`);
      await student.page.getByTestId('answer-text').fill('Жауап соңғы секундта жіберілді.');
      await student.page.getByTestId('sync-state').filter({ hasText: 'Серверде сақталды' }).waitFor();
      expect(Date.now()).toBeLessThan(endsAt);
      await student.page.getByTestId('send').click();
      await student.page.getByRole('alertdialog').getByRole('button', { name: 'Жіберу' }).click();
      await student.page.getByTestId('sent').waitFor({ timeout: 40_000 });
      await student.page
        .getByTestId('send-note')
        .filter({ hasText: 'рұқсат етілген уақыт ішінде келді және қабылданды' })
        .waitFor();
      expect(await student.page.getByTestId('send-error').count()).toBe(0);
      await screenshot(student.page, '60-sent-within-grace-kk');
      const mine = await sentAnswer(student.student.token, examId);
      expect(mine.answerSendMode).toBe('LATE_WITHIN_GRACE');
      expect(mine.answer.text).toBe('Жауап соңғы секундта жіберілді.');
      expect(Date.parse(mine.answer.submittedAt)).toBeGreaterThan(endsAt);
    } finally {
      await student.close();
    }
  });
});
