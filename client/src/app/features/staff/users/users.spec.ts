import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { Apollo } from 'apollo-angular';
import { of } from 'rxjs';
import { I18n } from '../../../core/i18n/i18n';
import { settle, waitUntil } from '../../../../testing/fakes';
import { USERS_PAGE, USERS_SEARCH_DEBOUNCE_MS, Users } from './users';

interface Variables {
  search: string | null;
  role: string | null;
  first: number;
  after: string | null;
}

const PEOPLE = Array.from({ length: 70 }, (_, i) => ({
  id: `u${i}`,
  login: `student${i}`,
  fullName: i === 0 ? 'Әлия Нұрланқызы' : `Student ${i}`,
  role: i < 68 ? 'STUDENT' : 'TEACHER',
}));

describe('the people screen', () => {
  let asked: Variables[];
  let fixture: ComponentFixture<Users>;
  const rows = () => [...(fixture.nativeElement as HTMLElement).querySelectorAll('[data-testid=users] tbody tr')];

  beforeEach(() => {
    asked = [];
    TestBed.configureTestingModule({
      providers: [
        {
          provide: Apollo,
          useValue: {
            query: ({ variables }: { variables: Variables }) => {
              asked.push(variables);
              const search = variables.search?.toLocaleLowerCase();
              const matching = PEOPLE.filter(
                (p) =>
                  (!variables.role || p.role === variables.role) &&
                  (!search || p.fullName.toLocaleLowerCase().includes(search) || p.login.includes(search)),
              );
              const from = Number(variables.after ?? 0);
              const nodes = matching.slice(from, from + variables.first);
              return of({
                data: {
                  usersConnection: {
                    totalCount: matching.length,
                    pageInfo: {
                      endCursor: String(from + nodes.length),
                      hasNextPage: from + nodes.length < matching.length,
                    },
                    nodes,
                  },
                },
              });
            },
          },
        },
      ],
    });
    TestBed.inject(I18n).setLang('kk');
  });

  async function open() {
    fixture = TestBed.createComponent(Users);
    await fixture.whenStable();
    await waitUntil(() => asked.length === 1);
    await fixture.whenStable();
    fixture.detectChanges();
  }

  it('reads a page of people and the next on "Show more"', async () => {
    await open();
    expect(asked[0]).toEqual({ search: null, role: null, first: USERS_PAGE, after: null });
    expect(rows().length).toBe(USERS_PAGE);
    expect(fixture.nativeElement.textContent).toContain('Барлығы: 70');
    (fixture.nativeElement.querySelector('[data-testid=load-more]') as HTMLButtonElement).click();
    await waitUntil(() => asked.length === 2);
    await fixture.whenStable();
    fixture.detectChanges();
    expect(asked[1].after).toBe(String(USERS_PAGE));
    expect(rows().length).toBe(70);
    expect(fixture.nativeElement.querySelector('[data-testid=load-more]')).toBeNull();
  });

  it('searches on the server once typing pauses, and filters by role', async () => {
    await open();
    const input = fixture.nativeElement.querySelector('[data-testid=users-search]') as HTMLInputElement;
    for (const typed of ['Ә', 'ӘЛ', 'ӘЛИЯ']) {
      input.value = typed;
      input.dispatchEvent(new Event('input'));
    }
    expect(asked.length).toBe(1);
    await settle(USERS_SEARCH_DEBOUNCE_MS + 50);
    await waitUntil(() => asked.length === 2);
    await fixture.whenStable();
    fixture.detectChanges();
    expect(asked[1].search).toBe('ӘЛИЯ');
    expect(rows().map((r) => r.textContent)).toEqual([jasmine.stringContaining('Әлия Нұрланқызы')]);
    (fixture.componentInstance as unknown as { role: { set(r: string): void } }).role.set('TEACHER');
    await waitUntil(() => asked.length === 3);
    expect(asked[2]).toEqual({ search: 'ӘЛИЯ', role: 'TEACHER', first: USERS_PAGE, after: null });
  });
});
