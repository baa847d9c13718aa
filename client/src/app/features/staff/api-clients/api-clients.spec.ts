import { TestBed } from '@angular/core/testing';
import { Apollo } from 'apollo-angular';
import { of } from 'rxjs';
import type { ApiClientRowFragment } from '../../../core/graphql/generated';
import { I18n } from '../../../core/i18n/i18n';
import { Confirmation } from '../../../shared/confirm-dialog/confirm-dialog';
import { FakeConfirmation, settle, waitUntil } from '../../../../testing/fakes';
import { ApiClients } from './api-clients';

const TOKEN = 'att_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG';

function row(overrides: Partial<ApiClientRowFragment> = {}): ApiClientRowFragment {
  return {
    id: 'c1',
    name: 'SIS',
    scopes: ['USERS_READ', 'EXAMS_WRITE'],
    tokenStart: 'att_0123',
    requestsPerMinute: null,
    createdAt: '2026-12-01T04:00:00.000Z',
    lastUsedAt: null,
    revokedAt: null,
    createdBy: { id: 'u1', fullName: 'Айгүл Серікова' },
    ...overrides,
  };
}

describe('the API clients screen', () => {
  let clients: ApiClientRowFragment[];
  let mutations: { variables: Record<string, unknown> }[];
  let confirmation: FakeConfirmation;

  beforeEach(() => {
    clients = [row()];
    mutations = [];
    confirmation = new FakeConfirmation();
    TestBed.configureTestingModule({
      providers: [
        { provide: Confirmation, useValue: confirmation },
        {
          provide: Apollo,
          useValue: {
            query: () => of({ data: { apiClients: clients } }),
            mutate: (options: { variables: Record<string, unknown> }) => {
              mutations.push(options);
              if ('input' in options.variables) {
                const made = row({ id: 'c2', name: 'ERP', scopes: ['GRADES_READ'] });
                clients = [made, ...clients];
                return of({ data: { createApiClient: { token: TOKEN, client: made } } });
              }
              clients = clients.map((c) => ({ ...c, revokedAt: '2026-12-02T04:00:00.000Z' }));
              return of({ data: { revokeApiClient: clients[0] } });
            },
          },
        },
      ],
    });
    TestBed.inject(I18n).setLang('kk');
  });

  async function open() {
    const fixture = TestBed.createComponent(ApiClients);
    await fixture.whenStable();
    await settle();
    fixture.detectChanges();
    const el = fixture.nativeElement as HTMLElement;
    const testId = (id: string) => el.querySelector(`[data-testid="${id}"]`) as HTMLElement | null;
    return { fixture, el, testId };
  }

  it('lists the clients with their scopes, creator and state, never a token', async () => {
    const { el } = await open();
    const text = el.querySelector('[data-testid=api-clients]')!.textContent!;
    expect(text).toContain('SIS');
    expect(text).toContain('att_0123…');
    expect(text).toContain('Пайдаланушыларды оқу');
    expect(text).toContain('Емтихандарды жазу');
    expect(text).toContain('Айгүл Серікова');
    expect(text).toContain('Пайдаланылмаған');
    expect(text).toContain('Белсенді');
  });

  it('refuses to create a client without a scope, then shows the new token once until closed', async () => {
    const { fixture, el, testId } = await open();
    const name = testId('api-client-name') as HTMLInputElement;
    name.value = 'ERP';
    name.dispatchEvent(new Event('input'));
    testId('create-api-client')!.click();
    await settle();
    fixture.detectChanges();
    expect(mutations.length).toBe(0);
    expect(el.textContent).toContain('Кемінде бір рұқсатты таңдаңыз.');

    (testId('scope-GRADES_READ')!.querySelector('input') as HTMLInputElement).click();
    testId('create-api-client')!.click();
    await waitUntil(() => mutations.length === 1);
    await settle();
    fixture.detectChanges();
    expect(mutations[0].variables).toEqual({
      input: { name: 'ERP', scopes: ['GRADES_READ'], requestsPerMinute: null },
    });
    expect(testId('new-token')!.textContent).toBe(TOKEN);
    expect(testId('new-token-panel')!.textContent).toContain('қайта көрсетілмейді');
    expect((testId('api-client-name') as HTMLInputElement).value).toBe('');

    testId('token-done')!.click();
    fixture.detectChanges();
    expect(testId('new-token-panel')).toBeNull();
    expect(el.textContent).not.toContain(TOKEN);
  });

  it('revokes a client after asking', async () => {
    const { fixture, el, testId } = await open();
    testId('revoke')!.click();
    await waitUntil(() => mutations.length === 1);
    await settle();
    fixture.detectChanges();
    expect(confirmation.asked[0].title).toContain('SIS');
    expect(mutations[0].variables).toEqual({ id: 'c1' });
    expect(el.querySelector('[data-testid=api-client-state]')!.textContent).toContain('Қайтарып алынған');
    expect(testId('revoke')).toBeNull();
  });
});
