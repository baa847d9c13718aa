import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { SCHEDULE_COLUMNS, SCHEDULE_PROBLEM_CODES } from '@rules';
import { en } from '../../../core/i18n/en';
import { I18n, type Lang } from '../../../core/i18n/i18n';
import { kk } from '../../../core/i18n/kk';
import { ru } from '../../../core/i18n/ru';
import { settle } from '../../../../testing/fakes';
import { ScheduleImport, SCHEDULE_TEMPLATE } from './schedule-import';
import { ScheduleImportApi, ScheduleRefusal, type ScheduleReport } from './schedule-import-api';

const DRY_RUN: ScheduleReport = {
  dryRun: true,
  created: 1,
  updated: 0,
  unchanged: 0,
  rows: [
    {
      row: 2,
      outcome: 'CREATED',
      examId: null,
      discipline: 'HIS-101',
      teacher: 'teacher',
      date: '2026-12-21',
      start: '10:00',
    },
    {
      row: 3,
      outcome: 'PROBLEM',
      examId: null,
      discipline: 'HIS-101',
      teacher: 'ghost',
      date: '2027-02-01',
      start: '10:00',
    },
  ],
  problems: [
    { row: 3, column: 'teacher', code: 'UNKNOWN_TEACHER', params: [{ name: 'value', value: 'ghost' }], message: '…' },
    {
      row: 3,
      column: 'date',
      code: 'OUTSIDE_PERIOD',
      params: [
        { name: 'startsOn', value: '2026-09-01' },
        { name: 'endsOn', value: '2026-12-31' },
      ],
      message: '…',
    },
  ],
};

describe('the schedule import screen', () => {
  let sent: { name: string; dryRun: boolean }[];
  let answer: (dryRun: boolean) => Promise<ScheduleReport>;

  beforeEach(() => {
    sent = [];
    answer = async () => DRY_RUN;
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        {
          provide: ScheduleImportApi,
          useValue: {
            send: (file: File, dryRun: boolean) => {
              sent.push({ name: file.name, dryRun });
              return answer(dryRun);
            },
          },
        },
      ],
    });
  });

  async function open(lang: Lang) {
    await TestBed.inject(I18n).setLang(lang);
    const fixture = TestBed.createComponent(ScheduleImport);
    fixture.detectChanges();
    const el = fixture.nativeElement as HTMLElement;
    const testId = (id: string) => el.querySelector(`[data-testid="${id}"]`) as HTMLElement | null;
    const choose = async (name = 'schedule.csv') => {
      const input = testId('schedule-file') as HTMLInputElement;
      const files = new DataTransfer();
      files.items.add(new File(['x'], name, { type: 'text/csv' }));
      input.files = files.files;
      input.dispatchEvent(new Event('change'));
      await settle();
      fixture.detectChanges();
    };
    return { fixture, el, testId, choose };
  }

  const problemTexts = (el: HTMLElement) =>
    [...el.querySelectorAll('[data-testid=schedule-problem]')].map((p) => p.textContent!.trim());

  it("shows each row's problems in Kazakh, from the code and params, and offers no import", async () => {
    const { el, testId, choose } = await open('kk');
    await choose();
    expect(sent).toEqual([{ name: 'schedule.csv', dryRun: true }]);
    expect(problemTexts(el)).toEqual([
      'Оқытушы: «ghost» логині немесе сыртқы идентификаторы бар пайдаланушы жоқ.',
      'Күні: кезеңнен тыс (2026-09-01 – 2026-12-31).',
    ]);
    expect(testId('schedule-row-3')!.classList).toContain('bad');
    expect(testId('schedule-has-problems')!.textContent).toContain('2 қате табылды');
    expect(testId('import-schedule')).toBeNull();
  });

  it('shows the same problems in Russian', async () => {
    const { el, testId, choose } = await open('ru');
    await choose();
    expect(problemTexts(el)).toEqual([
      'Преподаватель: нет пользователя с логином или внешним id «ghost».',
      'Дата: вне периода (2026-09-01 – 2026-12-31).',
    ]);
    expect(testId('schedule-has-problems')!.textContent).toContain('Найдено 2 ошибки');
  });

  it('imports a clean file after its dry run and says what was done', async () => {
    answer = async (dryRun) => ({ ...DRY_RUN, dryRun, problems: [], rows: DRY_RUN.rows.slice(0, 1) });
    const { fixture, testId, choose } = await open('en');
    await choose('fixed.csv');
    expect(testId('schedule-ready')!.textContent).toContain('create 1');
    testId('import-schedule')!.click();
    await settle();
    fixture.detectChanges();
    expect(sent).toEqual([
      { name: 'fixed.csv', dryRun: true },
      { name: 'fixed.csv', dryRun: false },
    ]);
    expect(testId('schedule-imported')!.textContent).toContain('Imported: 1 created, 0 updated, 0 unchanged.');
  });

  it('names a refused file by its reason (IMPORT_FILE_INVALID)', async () => {
    answer = async () => {
      throw new ScheduleRefusal('IMPORT_FILE_INVALID', 'MISSING_COLUMNS', { columns: 'start, end' }, []);
    };
    const { testId, choose } = await open('en');
    await choose();
    expect(testId('schedule-refusal')!.textContent).toContain('missing: start, end');
  });

  it('has a sentence for every problem code and column, and a template with every column, in all three languages', () => {
    for (const messages of [kk, ru, en] as Record<string, string>[]) {
      for (const code of SCHEDULE_PROBLEM_CODES)
        expect(messages[`scheduleImport.problem.${code}`]).withContext(code).toBeTruthy();
      for (const column of SCHEDULE_COLUMNS)
        expect(messages[`scheduleImport.column.${column}`]).withContext(column).toBeTruthy();
    }
    expect(SCHEDULE_TEMPLATE.split('\r\n')[0].split(',')).toEqual([...SCHEDULE_COLUMNS]);
  });
});
