import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { Apollo } from 'apollo-angular';
import { of, throwError } from 'rxjs';
import { CodedError } from '../../../core/graphql/errors';
import { AcademicYearsDocument, MyExamsDocument } from '../../../core/graphql/generated';
import { ServerClock } from '../../../core/graphql/server-clock';
import { I18n } from '../../../core/i18n/i18n';
import { at, NOW } from '../../../../testing/exam-fixtures';
import { settle } from '../../../../testing/fakes';
import { ExamList } from './exam-list';

const YEARS = [
  {
    id: 'y2',
    title: '2026-2027',
    startsOn: '2026-09-01',
    endsOn: '2027-06-30',
    periods: [
      { id: 'p1', number: 1, title: '1-академиялық кезең', startsOn: '2026-09-01', endsOn: '2026-12-31' },
      { id: 'p2', number: 2, title: '2-академиялық кезең', startsOn: '2027-01-11', endsOn: '2027-06-30' },
    ],
  },
  { id: 'y1', title: '2025-2026', startsOn: '2025-09-01', endsOn: '2026-06-30', periods: [] },
];

function listed(id: string, title: string, startsAt: string, endsAt: string, sitting: Record<string, unknown> = {}) {
  return {
    id,
    startsAt,
    endsAt,
    format: 'TICKETS',
    discipline: { id: `d-${id}`, code: 'CSE-1', title },
    teacher: { id: 't', fullName: 'Нұрлан Әбенов' },
    period: { id: 'p1', number: 1 },
    mySitting: { id: `s-${id}`, endsAt, answerStatus: null, submittedAt: null, grade: null, ...sitting },
  };
}

describe('the exam list (R1.2–R1.4)', () => {
  let queries: { document: unknown; variables: unknown }[];
  let failExams: boolean;

  beforeEach(() => {
    queries = [];
    failExams = false;
    const apollo = {
      query: ({ query, variables }: { query: unknown; variables?: unknown }) => {
        queries.push({ document: query, variables });
        if (query === AcademicYearsDocument) return of({ data: { academicYears: YEARS } });
        if (failExams) return throwError(() => new CodedError('NETWORK'));
        return of({
          data: {
            myExams: [
              listed('e1', 'Деректер қорлары', at(-10), at(120)),
              listed('e2', 'Алгоритмдер', at(240), at(360)),
              listed('e3', 'Тарих', at(-5000), at(-4880), {
                answerStatus: 'SUBMITTED',
                grade: { score: 96, letter: 'A' },
              }),
              listed('e4', 'Желілер', at(-10), at(120), { answerStatus: 'SUBMITTED' }),
            ],
          },
        });
      },
    };
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        { provide: Apollo, useValue: apollo },
        { provide: ServerClock, useValue: { now: signal(NOW), timeZone: signal('Asia/Almaty'), exactNow: () => NOW } },
      ],
    });
    TestBed.inject(I18n).setLang('kk');
  });

  async function render() {
    const fixture = TestBed.createComponent(ExamList);
    await fixture.whenStable();
    await settle();
    await fixture.whenStable();
    return fixture;
  }

  it('asks for the current year and period by default', async () => {
    const fixture = await render();
    const examQuery = queries.find((q) => q.document === MyExamsDocument);
    expect(examQuery?.variables).toEqual({ academicYearId: 'y2', periodId: 'p1' });
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelector('h1')!.textContent).toContain('Онлайн аралық аттестаттаудан өту');
    expect(el.querySelector('[data-testid=year-filter]')!.textContent).toContain('2026-2027');
    expect(el.querySelector('[data-testid=period-filter]')!.textContent).toContain('1-академиялық кезең');
  });

  it('links each discipline to its exam page and shows its state at a glance', async () => {
    const fixture = await render();
    const el = fixture.nativeElement as HTMLElement;
    const links = Array.from(el.querySelectorAll<HTMLAnchorElement>('a.discipline'));
    expect(links.map((a) => a.getAttribute('href'))).toEqual([
      '/attestation/e1',
      '/attestation/e2',
      '/attestation/e3',
      '/attestation/e4',
    ]);
    const states = Array.from(el.querySelectorAll<HTMLElement>('[data-state]')).map((s) => [
      s.dataset['state'],
      s.textContent!.replace(/\s+/g, ' ').trim(),
    ]);
    expect(states).toEqual([
      ['open', 'Қазір ашық'],
      ['upcoming', 'Әлі басталған жоқ'],
      ['graded', 'Бағаланды (96, A)'],
      ['sent', 'Жауап жіберілді'],
    ]);
    expect(el.querySelector('caption')!.textContent).toContain('Asia/Almaty');
  });

  it('says so, and offers to try again, when the list cannot be loaded', async () => {
    failExams = true;
    const fixture = await render();
    const alert = (fixture.nativeElement as HTMLElement).querySelector('[role=alert]');
    expect(alert?.textContent).toContain('Серверге қосылу мүмкін болмады');
    expect(alert?.textContent).toContain('Қайталау');
  });
});
