import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { Apollo } from 'apollo-angular';
import { of, throwError } from 'rxjs';
import { CodedError } from '../../../core/graphql/errors';
import { CreateRetakeDocument } from '../../../core/graphql/generated';
import { ServerClock } from '../../../core/graphql/server-clock';
import { I18n } from '../../../core/i18n/i18n';
import { Confirmation } from '../../../shared/confirm-dialog/confirm-dialog';
import { at, NOW } from '../../../../testing/exam-fixtures';
import { FakeConfirmation, settle } from '../../../../testing/fakes';
import { Retake } from './retake';

const candidate = (login: string, fullName: string, score: number) => ({
  id: `s-${login}`,
  student: { id: login, login, fullName },
  grade: { score, letter: 'FX' },
});

/** E6: staff's «Create retake for FX students (n)» on an exam's page. */
describe('the retake panel', () => {
  let mutations: { document: unknown; variables: unknown }[];
  let refuse: string | null;
  let confirmation: FakeConfirmation;
  let exam: Record<string, unknown>;

  beforeEach(() => {
    mutations = [];
    refuse = null;
    confirmation = new FakeConfirmation();
    exam = {
      id: 'e1',
      endsAt: at(-60),
      teacher: { id: 't1' },
      retakeOf: null,
      retakes: [],
      retakeCandidates: [candidate('student10', 'Нұржан Ахметов', 40), candidate('student11', 'Арман Бекұлы', 25)],
    };
    const apollo = {
      query: () =>
        of({
          data: {
            exam,
            teachers: [
              { id: 't1', fullName: 'Нұрлан Әбенов' },
              { id: 't2', fullName: 'Елена Ким' },
            ],
          },
        }),
      mutate: ({ mutation, variables }: { mutation: unknown; variables: unknown }) => {
        mutations.push({ document: mutation, variables });
        return refuse ? throwError(() => new CodedError(refuse!)) : of({ data: { createRetake: { id: 'r1' } } });
      },
    };
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        { provide: Apollo, useValue: apollo },
        { provide: Confirmation, useValue: confirmation },
        { provide: ServerClock, useValue: { now: signal(NOW), timeZone: signal('Asia/Almaty'), exactNow: () => NOW } },
      ],
    });
    TestBed.inject(I18n).setLang('kk');
  });

  async function render() {
    const fixture = TestBed.createComponent(Retake);
    fixture.componentRef.setInput('examId', 'e1');
    await fixture.whenStable();
    await settle();
    await fixture.whenStable();
    return fixture;
  }

  async function fill(fixture: Awaited<ReturnType<typeof render>>, date: string, start: string, end: string) {
    const el = fixture.nativeElement as HTMLElement;
    for (const [id, value] of [
      ['retake-date', date],
      ['retake-start', start],
      ['retake-end', end],
    ]) {
      const input = el.querySelector<HTMLInputElement>(`[data-testid=${id}]`)!;
      input.value = value;
      input.dispatchEvent(new Event('input'));
    }
    await fixture.whenStable();
  }

  it('counts the FX students on its button, asks with their names, then creates the retake and opens it', async () => {
    const navigate = spyOn(TestBed.inject(Router), 'navigate').and.resolveTo(true);
    const fixture = await render();
    const el = fixture.nativeElement as HTMLElement;
    const button = el.querySelector<HTMLButtonElement>('[data-testid=create-retake]')!;
    expect(button.textContent).toContain('FX алған білім алушыларға қайта тапсыру құру (2)');
    button.click();
    await fixture.whenStable();
    await fill(fixture, '2026-12-10', '10:00', '12:00');
    el.querySelector<HTMLButtonElement>('[data-testid=retake-submit]')!.click();
    await settle();
    await fixture.whenStable();

    expect(confirmation.asked.length).toBe(1);
    expect(confirmation.asked[0].text).toContain('2026 ж. 10 желтоқсан, 10:00–12:00');
    expect(confirmation.asked[0].items).toEqual([
      'Нұржан Ахметов (student10) — 40, FX',
      'Арман Бекұлы (student11) — 25, FX',
    ]);
    expect(mutations.length).toBe(1);
    expect(mutations[0].document).toBe(CreateRetakeDocument);
    // 10:00–12:00 in Almaty (UTC+5); the exam's own teacher is left to the server's default
    expect(mutations[0].variables).toEqual({
      examId: 'e1',
      input: { startsAt: '2026-12-10T05:00:00.000Z', endsAt: '2026-12-10T07:00:00.000Z', teacherId: null },
    });
    expect(navigate).toHaveBeenCalledWith(['/staff/exams', 'r1']);
  });

  it('does not ask the server about a start in the past, and says why', async () => {
    const fixture = await render();
    const el = fixture.nativeElement as HTMLElement;
    el.querySelector<HTMLButtonElement>('[data-testid=create-retake]')!.click();
    await fixture.whenStable();
    await fill(fixture, '2026-11-28', '10:00', '12:00');
    expect(el.querySelector('[data-testid=retake-times-problem]')?.textContent).toContain(
      'Қайта тапсыру өткен уақытта басталмайды.',
    );
    el.querySelector<HTMLButtonElement>('[data-testid=retake-submit]')!.click();
    await settle();
    expect(confirmation.asked.length).toBe(0);
    expect(mutations.length).toBe(0);
  });

  it("shows the server's refusal in the page's language", async () => {
    refuse = 'RETAKE_EXISTS';
    const fixture = await render();
    const el = fixture.nativeElement as HTMLElement;
    el.querySelector<HTMLButtonElement>('[data-testid=create-retake]')!.click();
    await fixture.whenStable();
    await fill(fixture, '2026-12-10', '10:00', '12:00');
    el.querySelector<HTMLButtonElement>('[data-testid=retake-submit]')!.click();
    await settle();
    await fixture.whenStable();
    expect(el.querySelector('[data-testid=retake-error]')?.textContent).toContain(
      'Қайта тапсыруға құқығы бар барлық білім алушы қайта тапсыруға жазылған.',
    );
  });

  it('offers nothing without FX students to enrol, and links a retake to its exam', async () => {
    exam = { ...exam, retakeCandidates: [], retakeOf: { id: 'e0', startsAt: at(-7 * 24 * 60) } };
    const fixture = await render();
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelector('[data-testid=create-retake]')).toBeNull();
    const link = el.querySelector<HTMLAnchorElement>('[data-testid=retake-of]')!;
    expect(link.getAttribute('href')).toBe('/staff/exams/e0');
    expect(link.textContent).toContain('2026 ж. 22 қараша емтиханын қайта тапсыру');
  });

  it('reads its FX students again when told the results were just published', async () => {
    const fx = exam['retakeCandidates'];
    exam = { ...exam, retakeCandidates: [] }; // drafts: no one is FX yet
    const fixture = await render();
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelector('[data-testid=create-retake]')).toBeNull();
    exam = { ...exam, retakeCandidates: fx };
    fixture.componentInstance.reload();
    await fixture.whenStable();
    await settle();
    await fixture.whenStable();
    expect(el.querySelector('[data-testid=create-retake]')?.textContent).toContain('(2)');
  });
});
