import { expectAccessible, screenshot, type StudentPage, world } from './support/browser';
import { almaty, openAs, serverNow } from './support/people';

const HOUR = 3_600_000;

/**
 * Issue 12 (E6): staff create the retake for the FX students of an exam whose results are published, from the exam's
 * page; it shows in the exam lists as a retake of the exam (links both ways), and in the enrolled student's list.
 */
describe('a retake for the FX students', () => {
  let staff: StudentPage;
  let student: StudentPage;
  let examId: string;

  beforeAll(async () => {
    // student24 FX (40), student25 F (20), student26 passes (75): an exam that ended two hours ago, graded; the
    // grades are the teacher's drafts until the results are published (issue 12)
    const people = await Promise.all(['student24', 'student25', 'student26'].map((l) => world.api.login(l)));
    const now = await serverNow(world.staff.token);
    examId = await world.api.createTaskExam(
      world.staff.token,
      people.map((p) => p.user.id),
      new Date(now - 3 * HOUR),
      new Date(now - 2 * HOUR),
      { teacherLogin: 'teacher' },
    );
    const teacher = await world.api.login('teacher');
    const { exam } = await world.api.call<{ exam: { sittings: { id: string; student: { login: string } }[] } }>(
      world.staff.token,
      'query($e:ID!){ exam(id:$e){ sittings { id student { login } } } }',
      { e: examId },
    );
    const scores: Record<string, number> = { student24: 40, student25: 20, student26: 75 };
    for (const sitting of exam.sittings) {
      await world.api.call(teacher.token, 'mutation($s:ID!,$v:Int!){ gradeSitting(sittingId:$s, score:$v){ id } }', {
        s: sitting.id,
        v: scores[sitting.student.login],
      });
    }
    staff = await openAs('staff');
  });

  afterAll(async () => {
    for (const browser of [staff, student]) await browser?.close();
  });

  it("staff publish the results, create it on the exam's page for the FX student alone; lists link it both ways", async () => {
    const { page } = staff;
    await page.goto(`/staff/exams/${examId}`);
    // a retake is made from published grades: staff publish the results first, and the panel then counts the FX
    const publish = page.getByTestId('publish-button');
    await publish.waitFor();
    await publish.click();
    await page.locator('app-confirm-dialog').locator('button.confirm').click();
    await page.getByTestId('results-published').waitFor();
    const create = page.getByTestId('create-retake');
    await create.filter({ hasText: 'FX алған білім алушыларға қайта тапсыру құру (1)' }).waitFor();
    await create.click();

    const retakeDay = almaty((await serverNow(world.staff.token)) + 7 * 24 * HOUR).date;
    const form = page.getByTestId('retake-form');
    await form.getByTestId('retake-date').fill(retakeDay);
    await form.getByTestId('retake-start').fill('10:00');
    await form.getByTestId('retake-end').fill('12:00');
    await screenshot(page, '95-retake-form-kk');
    await form.getByTestId('retake-submit').click();

    // the confirmation names the one FX student, not the F or the passing one
    const dialog = page.locator('app-confirm-dialog');
    const items = dialog.getByTestId('confirm-items').locator('li');
    await items.first().waitFor();
    expect(await items.allInnerTexts()).toEqual([jasmine.stringContaining('(student24) — 40, FX')]);
    await screenshot(page, '96-retake-confirm-kk');
    await dialog.locator('button.confirm').click();

    // on to the retake's own page: a retake of the exam, held on the chosen day at 10:00
    await page.waitForURL((url) => /\/staff\/exams\/[^/]+$/.test(url.pathname) && !url.pathname.endsWith(examId));
    const retakeId = page.url().split('/').pop()!.split('?')[0];
    await page.getByTestId('retake-links').getByTestId('retake-of').waitFor();
    const { exam } = await world.api.call<{
      exam: { startsAt: string; retakeOf: { id: string }; sittings: { student: { login: string } }[] };
    }>(world.staff.token, 'query($e:ID!){ exam(id:$e){ startsAt retakeOf { id } sittings { student { login } } } }', {
      e: retakeId,
    });
    expect(exam.retakeOf.id).toBe(examId);
    expect(exam.sittings.map((s) => s.student.login)).toEqual(['student24']);
    expect(almaty(Date.parse(exam.startsAt))).toEqual({ date: retakeDay, time: '10:00' });
    await screenshot(page, '97-retake-page-kk');

    // the exam list: the retake's row says whose retake it is, the exam's row links to its retake
    await page.goto('/staff/exams');
    const list = page.getByTestId('staff-exams');
    await list.locator(`a[href$="/staff/exams/${examId}"]`).filter({ hasText: 'қайта тапсыру' }).waitFor();
    await list.locator(`a[href$="/staff/exams/${retakeId}"]`).filter({ hasText: 'Қайта тапсыру:' }).waitFor();
    await screenshot(page, '98-retake-in-exam-list-kk');
    await expectAccessible(page, 'exam list with a retake');

    // a second retake of the same students is refused
    await page.goto(`/staff/exams/${examId}`);
    await page.getByTestId('retake-links').getByTestId('retake').waitFor();
    expect(await page.getByTestId('create-retake').count()).toBe(0);

    // the FX student finds the retake in her list, linked to the exam; the passing student does not
    student = await openAs('student24');
    await student.page.goto('/attestation');
    await student.page.locator(`a[href$="/attestation/${retakeId}"]`).first().waitFor();
    await student.page.locator(`a[href$="/attestation/${examId}"]`).filter({ hasText: 'қайта тапсыру' }).waitFor();
    await screenshot(student.page, '99-retake-in-student-list-kk');
    const passing = await world.api.login('student26');
    const theirs = await world.api.call<{ exam: { retakes: unknown[] } }>(
      passing.token,
      'query($e:ID!){ exam(id:$e){ retakes { id } } }',
      { e: examId },
    );
    expect(theirs.exam.retakes).toEqual([]);
  });
});
