import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Apollo } from 'apollo-angular';
import { of } from 'rxjs';
import type { StudentAppealFragment } from '../../../core/graphql/generated';
import { ServerClock } from '../../../core/graphql/server-clock';
import { FileUploads } from '../../../core/http/upload';
import { I18n } from '../../../core/i18n/i18n';
import { at, NOW } from '../../../../testing/exam-fixtures';
import { AppealPanel, type AppealableSitting } from './appeal-panel';

const appeal = (overrides: Partial<StudentAppealFragment> = {}): StudentAppealFragment => ({
  id: 'a1',
  status: 'FILED',
  text: 'Менің жауабым толық.',
  filedAt: at(-30),
  decision: null,
  previousScore: null,
  newScore: null,
  reason: null,
  decidedAt: null,
  files: [],
  ...overrides,
});

/** issue 12: the student's appeal panel — the window on the server's clock, the form, the state and the decision. */
describe('the appeal panel', () => {
  let mutations: { variables: unknown }[];
  let uploads: { url: string; files: readonly File[] }[];
  const now = signal(NOW);

  beforeEach(() => {
    mutations = [];
    uploads = [];
    now.set(NOW);
    TestBed.configureTestingModule({
      providers: [
        {
          provide: Apollo,
          useValue: {
            mutate: ({ variables }: { variables: unknown }) => {
              mutations.push({ variables });
              return of({ data: { fileAppeal: appeal() } });
            },
          },
        },
        {
          provide: FileUploads,
          useValue: {
            upload: (url: string, files: readonly File[]) => {
              uploads.push({ url, files });
              return Promise.resolve([]);
            },
          },
        },
        { provide: ServerClock, useValue: { now, timeZone: signal('Asia/Almaty'), exactNow: () => now() } },
      ],
    });
    TestBed.inject(I18n).setLang('kk');
  });

  async function render(sitting: AppealableSitting) {
    const fixture = TestBed.createComponent(AppealPanel);
    fixture.componentRef.setInput('sitting', sitting);
    const filed: unknown[] = [];
    fixture.componentInstance.filed.subscribe(() => filed.push(true));
    await fixture.whenStable();
    return { fixture, el: fixture.nativeElement as HTMLElement, filed };
  }

  it('shows nothing before the grade is published', async () => {
    const { el } = await render({ id: 's1', appealDeadline: null, appeal: null });
    expect(el.textContent!.trim()).toBe('');
  });

  it('offers «Апелляция беру» with the deadline while the window is open, and closes it on the server clock', async () => {
    const { el, fixture } = await render({ id: 's1', appealDeadline: at(60), appeal: null });
    expect(el.querySelector('[data-testid=appeal-window]')!.textContent).toContain('дейін беруге болады');
    expect(el.querySelector('[data-testid=appeal-start]')!.textContent).toContain('Апелляция беру');
    now.set(Date.parse(at(61)));
    await fixture.whenStable();
    expect(el.querySelector('[data-testid=appeal-start]')).toBeNull();
    expect(el.querySelector('[data-testid=appeal-closed]')!.textContent).toContain('мерзімі');
  });

  it('sends the text, then the chosen files to the new appeal', async () => {
    const { el, fixture, filed } = await render({ id: 's1', appealDeadline: at(60), appeal: null });
    el.querySelector<HTMLButtonElement>('[data-testid=appeal-start]')!.click();
    await fixture.whenStable();
    const text = el.querySelector<HTMLTextAreaElement>('[data-testid=appeal-text]')!;
    text.value = 'қысқа';
    text.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    expect(el.querySelector<HTMLButtonElement>('[data-testid=appeal-submit]')!.disabled).toBeTrue();
    text.value = '  Екінші сұрақтың жауабы дұрыс.  ';
    text.dispatchEvent(new Event('input'));
    const input = el.querySelector<HTMLInputElement>('[data-testid=appeal-files]')!;
    const transfer = new DataTransfer();
    transfer.items.add(new File(['scan'], 'scan.pdf'));
    input.files = transfer.files;
    input.dispatchEvent(new Event('change'));
    await fixture.whenStable();
    el.querySelector<HTMLButtonElement>('[data-testid=appeal-submit]')!.click();
    await fixture.whenStable();
    await new Promise((r) => setTimeout(r));
    expect(mutations).toEqual([{ variables: { sittingId: 's1', text: 'Екінші сұрақтың жауабы дұрыс.' } }]);
    expect(uploads.map((u) => [u.url, u.files.map((f) => f.name)])).toEqual([['/files/appeals/a1', ['scan.pdf']]]);
    expect(filed.length).toBe(1);
  });

  it('shows the state, then the decision with its reason', async () => {
    const { el, fixture } = await render({ id: 's1', appealDeadline: at(-60), appeal: appeal() });
    expect(el.querySelector('[data-testid=appeal]')!.textContent).toContain('Берілді, комиссия күтілуде');
    fixture.componentRef.setInput('sitting', {
      id: 's1',
      appealDeadline: at(-60),
      appeal: appeal({
        status: 'DECIDED',
        decision: 'CHANGED',
        previousScore: 48,
        newScore: 62,
        reason: 'Екінші бөлім дұрыс.',
        decidedAt: at(-5),
      }),
    });
    await fixture.whenStable();
    expect(el.querySelector('[data-testid=appeal-decision]')!.textContent).toContain('48 → 62');
    expect(el.querySelector('[data-testid=appeal-reason]')!.textContent).toContain('Екінші бөлім дұрыс.');
  });
});
