import { expectNoEnglishUi, openStudent, screenshot, type StudentPage, world } from './support/browser';
import { choose, openAs, serverNow } from './support/people';
import { E2E_SEND_GRACE_MS } from './support/server';

const SUBMIT = 'mutation($e:ID!,$t:String!){ submitAnswer(examId:$e, text:$t){ status } }';

/**
 * Issue 12: grades are drafts until the teacher publishes the exam's results; the student's open page shows the grade
 * the moment they are published, and staff correct a published grade with a reason that the journal's history keeps.
 */
describe('grade publication', () => {
  let examId = '';
  let disciplineTitle = '';
  let aigerim: StudentPage; // student24: keeps her exam page open throughout
  let teacher: StudentPage;

  beforeAll(async () => {
    aigerim = await openStudent('student24');
    const other = await world.api.login('student25');
    const now = await serverNow(world.staff.token);
    const endsAt = now + 20_000;
    examId = await world.api.createTaskExam(
      world.staff.token,
      [aigerim.student.user.id, other.user.id],
      new Date(now - 60_000),
      new Date(endsAt),
      { autoSendAtEnd: false, teacherLogin: 'teacher' },
    );
    const { exam } = await world.api.call<{ exam: { discipline: { title: string } } }>(
      world.staff.token,
      'query($e:ID!){ exam(id:$e){ discipline { title } } }',
      { e: examId },
    );
    disciplineTitle = exam.discipline.title;
    await world.api.call(aigerim.student.token, SUBMIT, { e: examId, t: 'Менің жауабым: емтихан ережелері.' });
    await world.api.call(other.token, SUBMIT, { e: examId, t: 'Екінші студенттің жауабы.' });
    await aigerim.page.goto(`/attestation/${examId}`);
    // publication waits for the end and the send grace
    const wait = endsAt + E2E_SEND_GRACE_MS + 1_000 - (await serverNow(world.staff.token));
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    teacher = await openAs('teacher');
  }, 60_000);

  afterAll(async () => {
    await aigerim?.close();
    await teacher?.close();
  });

  it('keeps the grades as drafts until the teacher publishes, then shows them on the open page without a reload', async () => {
    const { page } = teacher;
    await page.goto(`/teaching/exams/${examId}`);
    for (const [login, score] of [
      ['student24', '81'],
      ['student25', '45'],
    ]) {
      await page.getByTestId('sent-answers').locator(`[data-student=${login}]`).click();
      await page.getByTestId('score').fill(score);
      await page.getByTestId('save-grade').click();
      await page.getByTestId('grading-notice').filter({ hasText: score }).waitFor();
    }
    const mark = page.getByTestId('sent-answers').locator('[data-student=student24]').getByTestId('publication-state');
    await mark.filter({ hasText: 'Жарияланбаған' }).waitFor();
    // the student sees that results are coming, never the draft
    await aigerim.page.getByTestId('results-pending').filter({ hasText: 'Нәтижелер әлі жарияланған жоқ' }).waitFor();
    expect(await aigerim.page.getByTestId('grade').count()).toBe(0);
    await screenshot(page, '95-publication-drafts-kk');

    await page.getByTestId('publish-button').click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText('Білім алушыларға 2 баға жарияланады').waitFor();
    await dialog.getByRole('button', { name: 'Нәтижелерді жариялау' }).click();
    await page.getByTestId('results-published').waitFor();
    await mark.filter({ hasText: 'Жарияланған' }).waitFor();
    expect(await page.getByTestId('grading-form').count()).toBe(0); // the selected grade is locked now
    await page.getByTestId('grade-locked').waitFor();

    // the page she kept open, without a reload
    await aigerim.page.getByTestId('grade').filter({ hasText: '81 балл — B' }).waitFor();
    expect(await aigerim.page.getByTestId('results-pending').count()).toBe(0);
    await screenshot(aigerim.page, '96-publication-student-kk');
    await expectNoEnglishUi(aigerim.page, 'published grade');
  });

  it('lets staff correct a published grade with a reason, and the journal shows both entries of its history', async () => {
    const staff = await openAs('staff');
    try {
      const { page } = staff;
      await page.goto('/staff/journal');
      await choose(page, 'discipline-filter', new RegExp(disciplineTitle));
      const row = page.getByTestId('journal').locator('tr[data-student=student24]');
      await row.getByText('81').first().waitFor();
      // the exam's column is the one holding student24's grade; its history opens below the table
      await row.getByTestId('grade-history-open').last().click();
      const history = page.getByTestId('grade-history');
      await history.locator('li[data-kind=PUBLISHED]').waitFor();
      await history.getByTestId('correct-grade').click();

      const dialog = page.getByRole('dialog');
      await dialog.getByTestId('correct-score').fill('84');
      expect(await dialog.getByTestId('correct-save').isDisabled()).toBeTrue(); // no reason yet
      await dialog.getByTestId('correct-reason').fill('3-сұрақтың жауабы есептелмей қалған.');
      await dialog.getByTestId('correct-save').click();

      await page.getByTestId('correct-notice').filter({ hasText: 'Баға түзетілді.' }).waitFor();
      const corrected = history.locator('li[data-kind=CORRECTED]');
      await corrected.filter({ hasText: '3-сұрақтың жауабы есептелмей қалған.' }).waitFor();
      expect(await corrected.innerText()).toContain('84');
      expect(await corrected.innerText()).toContain('бұрын 81');
      expect(await history.locator('li').count()).toBe(2);
      await screenshot(page, '97-publication-correction-kk');

      // and the student's open page follows
      await aigerim.page.getByTestId('grade').filter({ hasText: '84 балл — B' }).waitFor();
    } finally {
      await staff.close();
    }
  });
});
