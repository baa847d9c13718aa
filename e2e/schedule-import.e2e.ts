import { expectAccessible, screenshot, type StudentPage, world } from './support/browser';
import { openAs } from './support/people';

const HEADER = 'discipline,teacher,period,date,start,end,format,ticketMode,students,externalId';

/** Issue 13: staff bring an examination period's exams in from a file, dry run first, in the browser. */
describe('schedule import', () => {
  let staff: StudentPage;

  beforeAll(async () => {
    staff = await openAs('staff');
  });
  afterAll(() => staff?.close());

  it('staff see a row’s problem in the dry run, import the fixed file, and find the exam in the exams list', async () => {
    const { page } = staff;
    const { academicYears } = await world.api.call<{
      academicYears: { title: string; periods: { id: string; number: number; startsOn: string; endsOn: string }[] }[];
    }>(world.staff.token, '{ serverTime academicYears { title periods { id number startsOn endsOn } } }');
    // people and a discipline of its own, so no other spec's lists change; the last day of the current period
    await world.api.call(
      world.staff.token,
      `mutation($u:[UserInput!]!,$d:[DisciplineInput!]!){ upsertUsers(users:$u){ id } upsertDisciplines(disciplines:$d){ id } }`,
      {
        u: [
          { login: 'e2e.importer', fullName: 'Сәуле Импортова', role: 'TEACHER', externalId: 'E2E-T-1' },
          { login: 'e2e.student1', fullName: 'Асқар Кестебеков', role: 'STUDENT' },
          { login: 'e2e.student2', fullName: 'Мөлдір Кестебекова', role: 'STUDENT', externalId: 'E2E-S-2' },
        ],
        d: [{ code: 'E2E-IMP', title: 'Кестеден келген пән', externalId: 'E2E-D-1' }],
      },
    );
    const today = new Date().toISOString().slice(0, 10);
    const year = academicYears.find((y) => y.periods.some((p) => p.startsOn <= today && today <= p.endsOn))!;
    const period = year.periods.find((p) => p.startsOn <= today && today <= p.endsOn)!;
    const row = (teacher: string) =>
      `E2E-D-1,${teacher},${year.title}/${period.number},${period.endsOn},16:00,17:30,TASK,,e2e.student1;E2E-S-2,E2E-IMPORT-1`;
    const file = (teacher: string) => ({
      name: 'schedule.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${HEADER}\r\n${row(teacher)}\r\n`, 'utf8'),
    });

    await page.goto('/staff/exams');
    await page.getByRole('link', { name: 'Кестені импорттау' }).click();
    await page.getByRole('heading', { name: 'Кестені импорттау', level: 1 }).waitFor();
    expect(await page.getByTestId('schedule-template').getAttribute('download')).toBe('schedule-template.csv');

    await page.getByTestId('schedule-file').setInputFiles(file('nobody'));
    const problem = page.getByTestId('schedule-problem');
    await problem.waitFor();
    expect(await problem.textContent()).toContain('«nobody» логині немесе сыртқы идентификаторы бар пайдаланушы жоқ');
    expect(await page.getByTestId('schedule-has-problems').textContent()).toContain('1 қате табылды');
    expect(await page.getByTestId('import-schedule').count()).toBe(0);
    await screenshot(page, '97-schedule-dry-run-kk');
    await expectAccessible(page, 'schedule import, dry run with a problem');

    await page.getByTestId('schedule-file').setInputFiles(file('E2E-T-1'));
    await page.getByTestId('schedule-ready').waitFor();
    await page.getByTestId('import-schedule').click();
    const done = page.getByTestId('schedule-imported');
    await done.waitFor();
    expect(await done.textContent()).toContain('1 құрылды');

    const { exams } = await world.api.call<{ exams: { id: string; externalId: string | null }[] }>(
      world.staff.token,
      'query($p:ID!){ exams(periodId:$p){ id externalId } }',
      { p: period.id },
    );
    const imported = exams.find((e) => e.externalId === 'E2E-IMPORT-1');
    expect(imported).toBeDefined();

    await done.getByRole('link').click();
    await page.waitForURL(/\/staff\/exams$/);
    const link = page.locator(`a[href="/staff/exams/${imported!.id}"]`);
    await link.waitFor();
    expect(await link.textContent()).toContain('Кестеден келген пән');

    // the same file again changes nothing
    await page.goto('/staff/schedule-import');
    await page.getByTestId('schedule-file').setInputFiles(file('E2E-T-1'));
    await page.getByTestId('schedule-ready').waitFor();
    expect(await page.getByTestId('schedule-row-2').textContent()).toContain('Өзгеріс жоқ');
  });
});
