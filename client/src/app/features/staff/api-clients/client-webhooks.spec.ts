import { TestBed } from '@angular/core/testing';
import { CombinedGraphQLErrors } from '@apollo/client';
import { Apollo } from 'apollo-angular';
import { of, throwError } from 'rxjs';
import type { WebhookRowFragment } from '../../../core/graphql/generated';
import { I18n } from '../../../core/i18n/i18n';
import { Confirmation } from '../../../shared/confirm-dialog/confirm-dialog';
import { FakeConfirmation, settle, waitUntil } from '../../../../testing/fakes';
import { ClientWebhooks } from './client-webhooks';

const SECRET = 'whsec_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG';

function webhook(overrides: Partial<WebhookRowFragment> = {}): WebhookRowFragment {
  return {
    id: 'w1',
    url: 'https://erp.example.edu/hooks/grades',
    secretStart: 'whsec_AbCd',
    enabled: true,
    status: 'ACTIVE',
    attempts: 0,
    lastError: null,
    failingSince: null,
    nextAttemptAt: null,
    pendingEvents: 0,
    createdAt: '2026-12-01T04:00:00.000Z',
    deliveries: [],
    ...overrides,
  };
}

describe('the webhooks of an API client', () => {
  let mutations: { variables: Record<string, unknown> }[];
  let refuse: boolean;
  let confirmation: FakeConfirmation;

  beforeEach(() => {
    mutations = [];
    refuse = false;
    confirmation = new FakeConfirmation();
    TestBed.configureTestingModule({
      providers: [
        { provide: Confirmation, useValue: confirmation },
        {
          provide: Apollo,
          useValue: {
            mutate: (options: { variables: Record<string, unknown> }) => {
              mutations.push(options);
              if (refuse)
                return throwError(
                  () =>
                    new CombinedGraphQLErrors({
                      errors: [
                        { message: 'A webhook URL must start with https://', extensions: { code: 'BAD_USER_INPUT' } },
                      ],
                    }),
                );
              if ('url' in options.variables) {
                const added = webhook({ id: 'w2', url: options.variables['url'] as string });
                return of({ data: { addWebhook: { secret: SECRET, webhook: added } } });
              }
              if ('enabled' in options.variables) return of({ data: { setWebhookEnabled: webhook() } });
              return of({ data: { removeWebhook: options.variables['id'] } });
            },
          },
        },
      ],
    });
    TestBed.inject(I18n).setLang('kk');
  });

  async function open(webhooks: WebhookRowFragment[], revoked = false) {
    const fixture = TestBed.createComponent(ClientWebhooks);
    fixture.componentRef.setInput('clientId', 'c1');
    fixture.componentRef.setInput('revoked', revoked);
    fixture.componentRef.setInput('webhooks', webhooks);
    let changed = 0;
    fixture.componentInstance.changed.subscribe(() => changed++);
    fixture.detectChanges();
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    const testId = (id: string) => el.querySelector(`[data-testid="${id}"]`) as HTMLElement | null;
    const all = (id: string) => [...el.querySelectorAll(`[data-testid="${id}"]`)] as HTMLElement[];
    return { fixture, el, testId, all, changed: () => changed };
  }

  it('shows each webhook with its state, what waits, the last error and the latest deliveries', async () => {
    const { el, all } = await open([
      webhook({
        status: 'RETRYING',
        attempts: 2,
        pendingEvents: 3,
        lastError: 'HTTP 500',
        deliveries: [
          {
            id: 'd3',
            eventId: 'Z2MxOjk',
            attempt: 2,
            at: '2026-12-02T05:00:02.000Z',
            ok: false,
            statusCode: 500,
            durationMs: 31,
            error: null,
          },
          {
            id: 'd2',
            eventId: 'Z2MxOjk',
            attempt: 1,
            at: '2026-12-02T05:00:00.000Z',
            ok: false,
            statusCode: null,
            durationMs: 10000,
            error: 'timed out after 10000 ms',
          },
          {
            id: 'd1',
            eventId: 'Z2MxOjg',
            attempt: 1,
            at: '2026-12-02T04:59:00.000Z',
            ok: true,
            statusCode: 204,
            durationMs: 12,
            error: null,
          },
        ],
      }),
      webhook({ id: 'w3', url: 'https://other.example.edu/h', enabled: false, status: 'DISABLED' }),
    ]);
    const [first, second] = all('webhook');
    expect(first.textContent).toContain('https://erp.example.edu/hooks/grades');
    expect(first.querySelector('[data-testid=webhook-status]')!.textContent).toContain('Қайта жіберілуде');
    expect(first.textContent).toContain('Кілт: whsec_AbCd…');
    expect(first.textContent).toContain('Жіберуді күтетін оқиғалар: 3');
    expect(first.textContent).toContain('Соңғы қате: HTTP 500');
    expect(first.textContent).toContain('Соңғы жіберулер (3)');
    const rows = [...first.querySelectorAll('[data-testid=webhook-delivery]')].map((r) => r.textContent!);
    expect(rows[0]).toContain('Қабылданбады (500)');
    expect(rows[1]).toContain('Қате: timed out after 10000 ms');
    expect(rows[2]).toContain('Қабылданды (204)');
    expect(rows[2]).toContain('Z2MxOjg');
    expect(second.querySelector('[data-testid=webhook-status]')!.textContent).toContain('Өшірілген');
    expect(second.querySelector('[data-testid=webhook-enable]')).not.toBeNull();
    expect(second.textContent).toContain('Әзірге жіберу болған жоқ.');
    expect(el.textContent).not.toContain('whsec_0123');
  });

  it('adds a URL and shows its secret once, until closed', async () => {
    const { fixture, el, testId, changed } = await open([]);
    expect(el.textContent).toContain('Вебхуктар жоқ');
    const url = testId('webhook-url') as HTMLInputElement;
    url.value = 'erp.example.edu/hooks';
    url.dispatchEvent(new Event('input'));
    testId('webhook-add')!.click();
    await settle();
    fixture.detectChanges();
    expect(mutations.length).toBe(0);
    expect(el.textContent).toContain('Толық мекенжайды қорғалған байланыс хаттамасымен');

    url.value = 'https://erp.example.edu/hooks';
    url.dispatchEvent(new Event('input'));
    testId('webhook-add')!.click();
    await waitUntil(() => mutations.length === 1);
    await settle();
    fixture.detectChanges();
    expect(mutations[0].variables).toEqual({ apiClientId: 'c1', url: 'https://erp.example.edu/hooks' });
    expect(testId('webhook-secret')!.textContent).toBe(SECRET);
    expect(testId('webhook-secret-panel')!.textContent).toContain('қайта көрсетілмейді');
    expect(changed()).toBe(1);
    expect((testId('webhook-url') as HTMLInputElement).value).toBe('');

    testId('webhook-secret-done')!.click();
    fixture.detectChanges();
    expect(testId('webhook-secret-panel')).toBeNull();
    expect(el.textContent).not.toContain(SECRET);
  });

  it("says why the server refused a URL, in the user's language", async () => {
    refuse = true;
    const { fixture, testId } = await open([]);
    const url = testId('webhook-url') as HTMLInputElement;
    url.value = 'https://10.0.0.5/hooks';
    url.dispatchEvent(new Event('input'));
    testId('webhook-add')!.click();
    await waitUntil(() => mutations.length === 1);
    await settle();
    fixture.detectChanges();
    expect(testId('webhook-notice')!.textContent).toContain('ішкі желісінен тыс');
    expect(testId('webhook-secret-panel')).toBeNull();
  });

  it('disables, resumes a failing one and removes after asking', async () => {
    const { fixture, testId, changed } = await open([
      webhook({ status: 'FAILING', failingSince: '2026-12-02T05:00:00.000Z', lastError: 'HTTP 502' }),
    ]);
    testId('webhook-resume')!.click();
    await waitUntil(() => mutations.length === 1);
    expect(mutations[0].variables).toEqual({ id: 'w1', enabled: true });
    await settle();
    fixture.detectChanges();
    testId('webhook-disable')!.click();
    await waitUntil(() => mutations.length === 2);
    expect(mutations[1].variables).toEqual({ id: 'w1', enabled: false });
    await settle();
    fixture.detectChanges();
    testId('webhook-remove')!.click();
    await waitUntil(() => mutations.length === 3);
    expect(confirmation.asked[0].title).toContain('https://erp.example.edu/hooks/grades');
    expect(mutations[2].variables).toEqual({ id: 'w1' });
    await settle();
    expect(changed()).toBe(3);
  });

  it('offers no new webhook for a revoked client', async () => {
    const { testId } = await open([webhook()], true);
    expect(testId('webhook-form')).toBeNull();
    expect(testId('webhook')).not.toBeNull();
  });
});
