import { expectAccessible, expectNoEnglishUi, screenshot, type StudentPage, world } from './support/browser';
import { downloaded, openAs, serverNow } from './support/people';
import { E2E_SEND_GRACE_MS } from './support/server';

const MINUTE = 60_000;
const CODE = /^[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{2}$/;
const STUDENTS = ['student12', 'student13', 'student14'];

interface Person {
  id: string;
  login: string;
  fullName: string;
}

/**
 * Issue 12, blind marking end to end: staff make an exam blind, three students send answers (with files named after
 * themselves), and the teacher grades it in the browser seeing only codes — in the queue, the heading, the file names
 * and the downloads — while staff still see who is who; once the teacher publishes the results, the names appear.
 */
describe('blind marking: the teacher grades under codes', () => {
  let teacher: StudentPage;
  let examId = '';
  let people: Person[] = [];
  let examInput: Record<string, unknown> = {};

  beforeAll(async () => {
    const staff = world.staff.token;
    const periodId = await world.api.currentPeriodId(staff);
    const { users } = await world.api.call<{ users: (Person & { role: string })[] }>(
      staff,
      '{ users { id login fullName role } }',
    );
    // a discipline of its own, so the other specs' "the demo exam of CSE-310" stays the only exam of its discipline
    const { upsertDisciplines } = await world.api.call<{ upsertDisciplines: { id: string }[] }>(
      staff,
      'mutation($d:[DisciplineInput!]!){ upsertDisciplines(disciplines:$d) { id } }',
      { d: [{ code: 'E2E-BLIND', title: 'Жасырын бағалау сынағы' }] },
    );
    people = STUDENTS.map((login) => users.find((u) => u.login === login)!);
    const now = await serverNow(staff);
    examInput = {
      periodId,
      disciplineId: upsertDisciplines[0].id,
      teacherId: users.find((u) => u.login === 'teacher')!.id,
      startsAt: new Date(now - MINUTE).toISOString(),
      endsAt: new Date(now + 60 * MINUTE).toISOString(),
      format: 'TASK',
      taskText: 'Нормализацияны мысалмен түсіндіріңіз.',
      studentIds: people.map((p) => p.id),
      blindMarking: true,
    };
    const created = await world.api.call<{ createExam: { id: string } }>(
      staff,
      'mutation($input: ExamInput!) { createExam(input: $input) { id } }',
      { input: examInput },
    );
    examId = created.createExam.id;
    for (const person of people) {
      const { token } = await world.api.login(person.login);
      const form = new FormData();
      form.append('file', new Blob([`work of ${person.login}`], { type: 'application/pdf' }), `${person.fullName}.pdf`);
      const upload = await fetch(`${world.server.url}/files/answers/${examId}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: form,
      });
      expect(upload.status).toBe(201);
      await world.api.call(token, 'mutation($e:ID!,$t:String!){ submitAnswer(examId:$e, text:$t){ status } }', {
        e: examId,
        t: `Жауабым: үшінші қалыпты форма туралы, ${people.indexOf(person) + 1}-нұсқа`,
      });
    }
    teacher = await openAs('teacher');
  });

  afterAll(async () => {
    await teacher?.close();
  });

  it('shows the chip and the queue by code, and no name, login or file name of a student anywhere on the page', async () => {
    const { page } = teacher;
    await page.goto(`/teaching/exams/${examId}`);
    await page.getByTestId('blind-chip').waitFor();
    expect(await page.getByTestId('blind-chip').innerText()).toBe('Жасырын бағалау');
    const items = page.getByTestId('sent-answers').locator('button.item');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=sent-answers] button.item').length === 3);
    const codes = await items.locator('.name').allInnerTexts();
    for (const code of codes) expect(code.trim()).toMatch(CODE);
    expect(codes).toEqual([...codes].sort());

    await items.first().click();
    await page.getByTestId('blind-code').waitFor();
    expect(await page.getByTestId('blind-code').innerText()).toBe(`Код ${codes[0].trim()}`);
    const fileLink = page.getByTestId('answer-pane').locator('a.name');
    expect((await fileLink.innerText()).trim()).toBe(`${codes[0].trim()}-1.pdf`);
    const file = await downloaded(page, () => fileLink.click());
    expect(file.name).toBe(`${codes[0].trim()}-1.pdf`);

    const text = await page.locator('body').innerText();
    for (const person of people) {
      expect(text).not.toContain(person.fullName);
      expect(text).not.toContain(person.fullName.split(' ')[1]);
      expect(text).not.toContain(person.login);
    }
    await screenshot(page, '90-blind-grading-kk');
    await expectNoEnglishUi(page, 'blind grading');
    await expectAccessible(page, 'blind grading');
  });

  it('grades under the code, and staff still see whose answer it was', async () => {
    const { page } = teacher;
    const heading = (await page.getByTestId('blind-code').innerText()).replace('Код ', '');
    await page.getByTestId('score').fill('87');
    await page.getByTestId('save-grade').click();
    await page.getByTestId('grading-notice').waitFor();
    const notice = await page.getByTestId('grading-notice').innerText();
    expect(notice).toContain(heading);
    for (const person of people) expect(notice).not.toContain(person.fullName);
    const graded = page.getByTestId('sent-answers').locator('button.item').filter({ hasText: heading });
    await graded.getByText('87 · B+').waitFor();

    const seen = await world.api.call<{
      exam: { sittings: { blindCode: string; student: Person; grade: { score: number } | null }[] };
    }>(
      world.staff.token,
      'query($e:ID!){ exam(id:$e){ sittings { blindCode student { id login fullName } grade { score } } } }',
      {
        e: examId,
      },
    );
    const byStaff = seen.exam.sittings.find((s) => s.blindCode === heading)!;
    expect(people.map((p) => p.id)).toContain(byStaff.student.id);
    expect(byStaff.grade?.score).toBe(87);
  });

  it('shows the labels in Russian and English too', async () => {
    const { page } = teacher;
    for (const [lang, chip] of [
      ['ru', 'Слепая проверка'],
      ['en', 'Blind marking'],
    ] as const) {
      await page.evaluate((l) => localStorage.setItem('attestation.lang', l), lang);
      await page.reload();
      await page.getByTestId('blind-chip').filter({ hasText: chip }).waitFor();
    }
    await page.evaluate(() => localStorage.setItem('attestation.lang', 'kk'));
  });

  it('gives the teacher the names once the teacher publishes the results from the grading page', async () => {
    const { page } = teacher;
    // staff end the exam; publication waits for the end and the send grace
    const now = await serverNow(world.staff.token);
    await world.api.call(
      world.staff.token,
      'mutation($id:ID!,$input:ExamInput!){ updateExam(id:$id, input:$input, confirmStarted:true){ id } }',
      {
        id: examId,
        input: {
          ...examInput,
          startsAt: new Date(now - 60 * MINUTE).toISOString(),
          endsAt: new Date(now - 1_000).toISOString(),
        },
      },
    );
    await new Promise((r) => setTimeout(r, E2E_SEND_GRACE_MS + 1_000));
    await page.goto(`/teaching/exams/${examId}`);
    await page.getByTestId('blind-chip').waitFor();
    const items = page.getByTestId('sent-answers').locator('button.item');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=sent-answers] button.item').length === 3);
    // the two answers not graded yet, under their codes
    for (const [i, score] of [
      [1, '72'],
      [2, '64'],
    ] as const) {
      await items.nth(i).click();
      await page.getByTestId('score').fill(score);
      await page.getByTestId('save-grade').click();
      await page.getByTestId('grading-notice').filter({ hasText: score }).waitFor();
    }
    for (const person of people) expect(await page.locator('body').innerText()).not.toContain(person.fullName);

    await page.getByTestId('publish-button').click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText('Білім алушыларға 3 баға жарияланады').waitFor();
    await dialog.getByRole('button', { name: 'Нәтижелерді жариялау' }).click();
    await page.getByTestId('results-published').waitFor();

    // the page re-reads: the queue, the heading and the file names are the students' now, without the chip
    await page.getByTestId('blind-chip').waitFor({ state: 'detached' });
    const names = people.map((p) => p.fullName);
    await page.waitForFunction(
      (expected) =>
        Array.from(document.querySelectorAll('[data-testid=sent-answers] button.item .name'), (e) =>
          e.textContent!.trim(),
        )
          .sort()
          .join('|') === expected,
      [...names].sort().join('|'),
    );
    await items.first().click();
    const shown = (await items.first().locator('.name').innerText()).trim();
    expect(names).toContain(shown);
    expect(await page.getByTestId('blind-code').count()).toBe(0);
    const fileLink = page.getByTestId('answer-pane').locator('a.name');
    await fileLink.filter({ hasText: `${shown}.pdf` }).waitFor();
    await screenshot(page, '91-blind-published-kk');
  });
});
