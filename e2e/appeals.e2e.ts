import {
  expectAccessible,
  expectButton,
  expectNoEnglishUi,
  openStudent,
  screenshot,
  type StudentPage,
  world,
} from './support/browser';
import { choose } from './support/people';

/**
 * issue 12: the student appeals a published grade on her exam page, staff form the commission, a commission member
 * (not the exam's teacher) changes the score beside the answer and the task, and the student's page and her journal
 * show it.
 */
describe('an appeal (issue 12)', () => {
  let examId = '';
  let sittingId = '';
  let student: StudentPage; // student29
  let member: StudentPage; // teacher2, on the commission

  beforeAll(async () => {
    const { api, staff } = world;
    const [teacher, s29] = await Promise.all(['teacher', 'student29'].map((l) => api.login(l)));
    const periodId = await api.currentPeriodId(staff.token);
    const { disciplines } = await api.call<{ disciplines: { id: string; code: string }[] }>(
      staff.token,
      '{ disciplines { id code } }',
    );
    const { createExam } = await api.call<{ createExam: { id: string } }>(
      staff.token,
      'mutation($input: ExamInput!) { createExam(input: $input) { id } }',
      {
        input: {
          periodId,
          disciplineId: disciplines.find((d) => d.code === 'CSE-220')!.id,
          teacherId: teacher.user.id,
          startsAt: new Date(Date.now() - 60_000).toISOString(),
          endsAt: new Date(Date.now() + 3_600_000).toISOString(),
          format: 'TASK',
          taskText: 'Prove that Dijkstra’s algorithm is correct for non-negative weights.',
          studentIds: [s29.user.id],
          resultsRelease: 'AT_ONCE', // the grade is published as it is saved: the window opens at once
        },
      },
    );
    examId = createExam.id;
    await api.call(s29.token, 'mutation($e:ID!,$t:String!){ submitAnswer(examId:$e, text:$t){ status } }', {
      e: examId,
      t: 'By induction on the settled set: each settled vertex has its shortest distance.',
    });
    const { exam } = await api.call<{ exam: { sittings: { id: string }[] } }>(
      teacher.token,
      'query($e:ID!){ exam(id:$e){ sittings { id } } }',
      { e: examId },
    );
    sittingId = exam.sittings[0].id;
    await api.call(teacher.token, 'mutation($s:ID!){ gradeSitting(sittingId:$s, score:48){ id } }', { s: sittingId });
    student = await openStudent('student29');
  });

  afterAll(async () => {
    await student?.close();
    await member?.close();
  });

  it('lets the student appeal from her exam page while the window is open', async () => {
    const { page } = student;
    await page.goto(`/attestation/${examId}`);
    await page.getByTestId('appeal-window').waitFor();
    expect(await page.getByTestId('appeal-window').innerText()).toContain('дейін беруге болады');
    await page.getByTestId('appeal-start').click();
    await page.getByTestId('appeal-text').fill('қысқа');
    await expectButton(page, 'appeal-submit', 'disabled');
    await page.getByTestId('appeal-text').fill('Индукция бойынша дәлелдеу толық келтірілген, балл тым төмен.');
    await page.getByTestId('appeal-files').setInputFiles({
      name: 'proof.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('the full proof'),
    });
    await screenshot(page, '90-appeal-form-kk');
    await page.getByTestId('appeal-submit').click();
    await page.locator('[data-testid=appeal][data-status=FILED]').waitFor();
    await page.getByTestId('appeal').getByText('proof.txt').waitFor(); // uploaded once the appeal exists
    await expectNoEnglishUi(page, 'appeal panel');
    await expectAccessible(page, 'appeal panel');
  });

  it('lets the commission change the score beside the answer and the task; the student and her journal show it', async () => {
    // staff: the exam's appeals, the commission chosen in the list; afterwards the journal with the grade's history
    const office = await openStudent('staff');
    try {
      const sp = office.page;
      await sp.goto(`/staff/appeals?examId=${examId}`);
      const row = sp.locator('[data-testid=appeals] tr[data-status=FILED]');
      await row.waitFor();
      expect(await row.innerText()).toContain('Алгоритмдер');
      await row.getByRole('combobox').focus();
      await sp.keyboard.press('Enter');
      await sp.getByRole('option', { name: 'Елена Ким' }).click();
      await sp.keyboard.press('Escape');
      await row.getByTestId('commission-form').click();
      await sp.locator('[data-testid=appeals] tr[data-status=UNDER_REVIEW]').waitFor();
      await screenshot(sp, '93-staff-appeals-kk');
      await expectNoEnglishUi(sp, 'staff appeals');
      await expectAccessible(sp, 'staff appeals');
    } catch (error) {
      await office.close();
      throw error;
    }
    await student.page.locator('[data-testid=appeal][data-status=UNDER_REVIEW]').waitFor();

    member = await openStudent('teacher2');
    const { page } = member;
    await page.goto('/teaching/appeals');
    await page.getByTestId('my-appeals').locator('li', { hasText: 'Алгоритмдер' }).getByRole('link').click();
    await page.getByTestId('case-answer').waitFor();
    expect(await page.getByTestId('case-answer').innerText()).toContain('By induction on the settled set');
    expect(await page.getByTestId('case-questions').innerText()).toContain('Dijkstra');
    expect(await page.getByTestId('case-appeal').innerText()).toContain('proof.txt');
    expect(await page.getByTestId('case-trail').innerText()).toContain('Апелляция берілді');
    await page.getByTestId('decision-changed').click();
    await page.getByTestId('decision-score').fill('62');
    await expectButton(page, 'decision-submit', 'disabled'); // no reason yet
    await page.getByTestId('decision-reason').fill('Дәлелдеудің екінші бөлімі дұрыс; балл 62-ге көтерілді.');
    await screenshot(page, '91-appeal-case-kk');
    await expectAccessible(page, 'appeal case');
    await page.getByTestId('decision-submit').click();
    await page.getByTestId('case-decision').waitFor();
    expect(await page.getByTestId('case-decision').innerText()).toContain('48 → 62');
    await expectNoEnglishUi(page, 'appeal case');

    // the student's open page hears the decision (mySittingChanged)
    const sp = student.page;
    await sp.locator('[data-testid=appeal][data-status=DECIDED]').waitFor();
    expect(await sp.getByTestId('appeal-decision').innerText()).toContain('48 → 62');
    expect(await sp.getByTestId('appeal-reason').innerText()).toContain('балл 62-ге көтерілді');
    expect(await sp.getByTestId('grade').innerText()).toContain('62');
    await screenshot(sp, '92-appeal-decided-kk');

    await sp.goto('/journal');
    const row = sp.getByTestId('my-journal').locator(`tr:has(a[href="/attestation/${examId}"])`);
    await row.waitFor();
    expect(await row.getByTestId('my-grade').innerText()).toContain('62');

    // staff's journal: the final score, and its history through the appeal's decision
    try {
      const op = office.page;
      await op.goto('/staff/journal');
      await choose(op, 'discipline-filter', /Алгоритмдер/);
      const line = op.getByTestId('journal').locator('tr[data-student=student29]');
      await line.getByText('62').first().waitFor();
      await line.getByTestId('grade-history-open').last().click();
      const history = op.getByTestId('grade-history');
      const decided = history.locator('li[data-kind=APPEAL_DECIDED]');
      await decided.waitFor();
      expect(await decided.innerText()).toContain('62');
      expect(await decided.innerText()).toContain('балл 62-ге көтерілді');
      await screenshot(op, '94-appeal-journal-history-kk');
    } finally {
      await office.close();
    }
  });
});
