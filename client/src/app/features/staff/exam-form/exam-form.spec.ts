import { signal } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { CombinedGraphQLErrors } from '@apollo/client';
import { examTimesProblem } from '@rules';
import { Apollo } from 'apollo-angular';
import { of, throwError } from 'rxjs';
import {
  CalendarYearsDocument,
  CreateExamDocument,
  ExamFormOptionsDocument,
  type StaffExamDetailsFragment,
  UpdateExamDocument,
} from '../../../core/graphql/generated';
import { ServerClock } from '../../../core/graphql/server-clock';
import { I18n } from '../../../core/i18n/i18n';
import { Confirmation } from '../../../shared/confirm-dialog/confirm-dialog';
import { NOW } from '../../../../testing/exam-fixtures';
import { FakeConfirmation, waitUntil } from '../../../../testing/fakes';
import { ExamForm, examTimes, studentsWithActivity } from './exam-form';
import { parseLogins } from './student-picker';

const OPTIONS = {
  disciplines: [{ id: 'd1', code: 'CSE-220', title: 'Алгоритмдер' }],
  teachers: [{ id: 't1', login: 'teacher', fullName: 'Нұрлан Әбенов' }],
  students: [
    { id: 's1', login: 'student01', fullName: 'Әлия Нұрланқызы' },
    { id: 's2', login: 'student02', fullName: 'Арман Бекұлы' },
    { id: 's3', login: 'student03', fullName: 'Дана Сапарова' },
  ],
  examDefaults: { autoSendAtEnd: true },
};
const YEARS = [
  {
    id: 'y1',
    title: '2026-2027',
    startsOn: '2026-09-01',
    endsOn: '2027-06-30',
    periods: [{ id: 'p1', number: 1, title: '1', startsOn: '2026-09-01', endsOn: '2026-12-31' }],
  },
];

describe('the exam form', () => {
  it("reads the times in the university's zone, an end not after the start as the next day", () => {
    const zone = 'Asia/Almaty';
    const day = examTimes('2026-11-29', '10:00', '12:30', zone);
    expect(new Date(day.startsAt).toISOString()).toBe('2026-11-29T05:00:00.000Z');
    expect(new Date(day.endsAt).toISOString()).toBe('2026-11-29T07:30:00.000Z');
    expect(day.nextDay).toBeFalse();
    const night = examTimes('2026-12-31', '23:00', '1:00', zone);
    expect(new Date(night.endsAt).toISOString()).toBe('2026-12-31T20:00:00.000Z');
    expect(night.nextDay).toBeTrue();
  });

  it("never reads times the server's rule refuses: the longest reading (same start and end) is one day", () => {
    const longest = examTimes('2026-11-29', '10:00', '10:00', 'Asia/Almaty');
    expect(longest.endsAt - longest.startsAt).toBe(24 * 3_600_000);
    expect(examTimesProblem(longest.startsAt, longest.endsAt)).toBeNull();
  });

  it('reads pasted logins separated any which way, once each', () => {
    expect(parseLogins(' Student01,student02;\nstudent03\tstudent01 ')).toEqual([
      'student01',
      'student02',
      'student03',
    ]);
    expect(parseLogins('  ')).toEqual([]);
  });

  it('keeps students who have begun from being dropped', () => {
    const sitting = (id: string, extra: object) => ({
      id,
      enteredAt: null,
      ticketNumber: null,
      answerStatus: null,
      grade: null,
      student: { id, login: id, fullName: id },
      ...extra,
    });
    expect([
      ...studentsWithActivity([
        sitting('a', {}),
        sitting('b', { enteredAt: 'x' }),
        sitting('c', { ticketNumber: 2 }),
        sitting('d', { answerStatus: 'DRAFT' }),
      ]),
    ]).toEqual(['b', 'c', 'd']);
  });

  describe('saving', () => {
    let fixture: ComponentFixture<ExamForm>;
    let mutations: { mutation: unknown; variables: Record<string, unknown> }[];
    let confirmation: FakeConfirmation;
    let refuseUnconfirmed: boolean;
    const el = () => fixture.nativeElement as HTMLElement;

    async function type(testId: string, value: string) {
      const field = el().querySelector<HTMLInputElement | HTMLTextAreaElement>(`[data-testid=${testId}]`)!;
      field.value = value;
      field.dispatchEvent(new Event('input'));
      await fixture.whenStable();
    }

    let options: typeof OPTIONS;

    beforeEach(() => {
      options = OPTIONS;
      mutations = [];
      refuseUnconfirmed = false;
      confirmation = new FakeConfirmation();
      const apollo = {
        query: ({ query }: { query: unknown }) =>
          of({
            data:
              query === ExamFormOptionsDocument
                ? options
                : query === CalendarYearsDocument
                  ? { academicYears: YEARS }
                  : null,
          }),
        mutate: (options: { mutation: unknown; variables: Record<string, unknown> }) => {
          mutations.push(options);
          if (options.mutation === UpdateExamDocument && refuseUnconfirmed && !options.variables['confirmStarted']) {
            return throwError(
              () =>
                new CombinedGraphQLErrors({
                  errors: [{ message: 'started', extensions: { code: 'CONFIRMATION_REQUIRED' } }],
                }),
            );
          }
          return of({
            data: options.mutation === CreateExamDocument ? { createExam: { id: 'new-exam' } } : { updateExam: {} },
          });
        },
      };
      TestBed.configureTestingModule({
        providers: [
          { provide: Apollo, useValue: apollo },
          {
            provide: ServerClock,
            useValue: { now: signal(NOW), timeZone: signal('Asia/Almaty'), exactNow: () => NOW },
          },
          { provide: Confirmation, useValue: confirmation },
        ],
      });
      TestBed.inject(I18n).setLang('kk');
    });

    async function render(exam: StaffExamDetailsFragment | null) {
      fixture = TestBed.createComponent(ExamForm);
      fixture.componentRef.setInput('exam', exam);
      fixture.componentRef.setInput('periodId', 'p1');
      await fixture.whenStable();
      return fixture.componentInstance;
    }

    it('creates an exam with the instants in UTC and the students pasted as logins', async () => {
      const form = await render(null);
      const saved: string[] = [];
      form.saved.subscribe((id) => saved.push(id));
      const controls = (form as unknown as { form: { patchValue(v: object): void } }).form;
      controls.patchValue({ disciplineId: 'd1', teacherId: 't1' });
      await type('form-date', '2026-12-10');
      await type('form-start', '9:00');
      await type('form-end', '11:30');
      expect(el().querySelector('[data-testid=form-date-words]')!.textContent).toContain('2026 ж. 10 желтоқсан');
      await type('paste-logins', 'student03 student01 nobody');
      el().querySelector<HTMLButtonElement>('[data-testid=add-logins]')!.click();
      await fixture.whenStable();
      expect(el().textContent).toContain('Табылмаған логиндер: nobody.');
      el().querySelector<HTMLButtonElement>('[data-testid=save-exam]')!.click();
      await waitUntil(() => saved.length === 1);
      expect(mutations[0].variables['input']).toEqual({
        periodId: 'p1',
        disciplineId: 'd1',
        teacherId: 't1',
        startsAt: '2026-12-10T04:00:00.000Z',
        endsAt: '2026-12-10T06:30:00.000Z',
        format: 'TICKETS',
        ticketAssignment: 'STUDENT_CHOICE',
        taskText: null,
        studentIds: ['s3', 's1'],
        autoSendAtEnd: true,
        resultsRelease: 'ON_PUBLICATION', // issue 12: the default a new exam's form shows
        blindMarking: false,
      });
      expect(saved).toEqual(['new-exam']);
    });

    it("starts a new exam's automatic send as the server's default, and saves what the box shows", async () => {
      options = { ...OPTIONS, examDefaults: { autoSendAtEnd: false } };
      const form = await render(null);
      const saved: string[] = [];
      form.saved.subscribe((id) => saved.push(id));
      const box = () => el().querySelector<HTMLInputElement>('[data-testid=form-auto-send] input')!;
      await waitUntil(() => !box().checked);
      const controls = (form as unknown as { form: { patchValue(v: object): void } }).form;
      controls.patchValue({ disciplineId: 'd1', teacherId: 't1' });
      await type('form-date', '2026-12-10');
      el().querySelector<HTMLButtonElement>('[data-testid=save-exam]')!.click();
      await waitUntil(() => saved.length === 1);
      expect(mutations[0].variables['input']).toEqual(jasmine.objectContaining({ autoSendAtEnd: false }));
    });

    it('saves blind marking as its box is ticked', async () => {
      const form = await render(null);
      const saved: string[] = [];
      form.saved.subscribe((id) => saved.push(id));
      const box = () => el().querySelector<HTMLInputElement>('[data-testid=form-blind-marking] input')!;
      expect(box().checked).toBeFalse();
      expect(el().textContent).toContain('Жасырын бағалау');
      box().click();
      await fixture.whenStable();
      const controls = (form as unknown as { form: { patchValue(v: object): void } }).form;
      controls.patchValue({ disciplineId: 'd1', teacherId: 't1' });
      await type('form-date', '2026-12-10');
      el().querySelector<HTMLButtonElement>('[data-testid=save-exam]')!.click();
      await waitUntil(() => saved.length === 1);
      expect(mutations[0].variables['input']).toEqual(jasmine.objectContaining({ blindMarking: true }));
    });

    it('keeps blind marking with results published together: ticking it moves AT_ONCE away and greys it out', async () => {
      const form = await render(null);
      const saved: string[] = [];
      form.saved.subscribe((id) => saved.push(id));
      const controls = (
        form as unknown as {
          form: { patchValue(v: object): void; controls: { resultsRelease: { value: string } } };
        }
      ).form;
      controls.patchValue({ disciplineId: 'd1', teacherId: 't1', resultsRelease: 'AT_ONCE' });
      await fixture.whenStable();
      const hint = () => el().querySelector('[data-testid=form-blind-release]');
      const atOnceOption = async () => {
        el().querySelector<HTMLElement>('[data-testid=form-results-release] .mat-mdc-select-trigger')!.click();
        await fixture.whenStable();
        const options = [...document.querySelectorAll<HTMLElement>('mat-option')];
        const atOnce = options.find((o) => o.textContent!.includes('Баға қойылған бойда'))!;
        const disabled = atOnce.getAttribute('aria-disabled') === 'true';
        document.querySelector<HTMLElement>('.cdk-overlay-backdrop')?.click();
        document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
        await fixture.whenStable();
        return disabled;
      };
      expect(hint()).toBeNull();
      expect(await atOnceOption()).toBeFalse();

      el().querySelector<HTMLInputElement>('[data-testid=form-blind-marking] input')!.click();
      await fixture.whenStable();
      expect(controls.controls.resultsRelease.value).toBe('ON_PUBLICATION');
      expect(hint()!.textContent).toContain('нәтижелер тек бірге жарияланады');
      expect(await atOnceOption()).toBeTrue();

      await type('form-date', '2026-12-10');
      el().querySelector<HTMLButtonElement>('[data-testid=save-exam]')!.click();
      await waitUntil(() => saved.length === 1);
      expect(mutations[0].variables['input']).toEqual(
        jasmine.objectContaining({ blindMarking: true, resultsRelease: 'ON_PUBLICATION' }),
      );

      // unticked, AT_ONCE may be chosen again
      el().querySelector<HTMLInputElement>('[data-testid=form-blind-marking] input')!.click();
      await fixture.whenStable();
      expect(hint()).toBeNull();
      expect(await atOnceOption()).toBeFalse();
    });

    it('asks before changing a started exam, and sends it again confirmed', async () => {
      refuseUnconfirmed = true;
      const exam = {
        id: 'exam-1',
        startsAt: '2026-11-29T05:50:00.000Z',
        endsAt: '2026-11-29T08:00:00.000Z',
        format: 'TICKETS',
        ticketAssignment: 'RANDOM',
        period: { id: 'p1', number: 1, academicYear: { id: 'y1', title: '2026-2027' } },
        discipline: OPTIONS.disciplines[0],
        teacher: { id: 't1', fullName: 'Нұрлан Әбенов' },
        task: null,
        platform: null,
        recording: null,
        tickets: [],
        sittings: [
          {
            id: 'x',
            enteredAt: '2026-11-29T05:51:00.000Z',
            ticketNumber: 4,
            answerStatus: null,
            grade: null,
            student: OPTIONS.students[0],
          },
        ],
      } as unknown as StaffExamDetailsFragment;
      const form = await render(exam);
      const saved: string[] = [];
      form.saved.subscribe((id) => saved.push(id));
      expect(el().querySelector<HTMLInputElement>('[data-testid=form-start]')!.value).toBe('10:50');
      // a student holding a ticket: the format is locked, and the student cannot be unticked
      expect(el().querySelector<HTMLInputElement>('[data-testid=format-task] input')!.disabled).toBeTrue();
      await type('form-end', '13:30');
      el().querySelector<HTMLButtonElement>('[data-testid=save-exam]')!.click();
      await waitUntil(() => saved.length === 1);
      expect(confirmation.asked.map((q) => q.title)).toEqual(['Емтихан басталып кетті']);
      expect(mutations.map((m) => m.variables['confirmStarted'])).toEqual([false, true]);
      expect((mutations[1].variables['input'] as { endsAt: string }).endsAt).toBe('2026-11-29T08:30:00.000Z');

      confirmation.answer = false;
      mutations.length = 0;
      el().querySelector<HTMLButtonElement>('[data-testid=save-exam]')!.click();
      await waitUntil(() => confirmation.asked.length === 2);
      await fixture.whenStable();
      expect(mutations.map((m) => m.variables['confirmStarted'])).toEqual([false]);
      expect(el().querySelector('[data-testid=form-error]')).toBeNull(); // declined: nothing to report
    });
  });
});
