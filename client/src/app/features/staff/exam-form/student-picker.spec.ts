import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { Apollo } from 'apollo-angular';
import { of } from 'rxjs';
import { PickerStudentsDocument, StudentsByLoginDocument } from '../../../core/graphql/generated';
import { I18n } from '../../../core/i18n/i18n';
import { settle, waitUntil } from '../../../../testing/fakes';
import { PICKER_PAGE, type PickableStudent, SEARCH_DEBOUNCE_MS, StudentPicker } from './student-picker';

/** 45 students, the first three with Kazakh names */
const STUDENTS: PickableStudent[] = [
  { id: 's1', login: 'aliya', fullName: 'Әлия Нұрланқызы' },
  { id: 's2', login: 'arman', fullName: 'Арман Бекұлы' },
  { id: 's3', login: 'dana', fullName: 'Дана Сапарова' },
  ...Array.from({ length: 42 }, (_, i) => ({
    id: `x${i}`,
    login: `student${String(i + 10).padStart(2, '0')}`,
    fullName: `Student ${i + 10}`,
  })),
];

interface Variables {
  search?: string | null;
  logins?: string[];
  first?: number;
  after?: string | null;
}

interface Asked {
  query: unknown;
  variables: Variables;
}

/** the server's usersConnection over STUDENTS: search in any case, logins, pages by position */
function serverPage(variables: Variables) {
  const search = variables.search?.toLocaleLowerCase();
  const logins = variables.logins;
  const matching = STUDENTS.filter((s) =>
    logins
      ? logins.includes(s.login)
      : !search || s.fullName.toLocaleLowerCase().includes(search) || s.login.includes(search),
  );
  const from = variables.after ? Number(variables.after) : 0;
  const first = variables.first ?? 100;
  const nodes = matching.slice(from, from + first);
  return {
    totalCount: matching.length,
    pageInfo: { endCursor: String(from + nodes.length), hasNextPage: from + nodes.length < matching.length },
    nodes,
  };
}

describe('the student picker', () => {
  let asked: Asked[];
  let fixture: ComponentFixture<StudentPicker>;
  const el = () => fixture.nativeElement as HTMLElement;
  const testId = (id: string) => el().querySelector<HTMLElement>(`[data-testid=${id}]`);
  const found = () => [...el().querySelectorAll('[data-testid=found-students] li')].map((li) => li.textContent!.trim());
  const chips = () => [...el().querySelectorAll('[data-testid=picked-students] mat-chip')];
  const searches = () => asked.filter((a) => a.query === PickerStudentsDocument);

  beforeEach(() => {
    asked = [];
    TestBed.configureTestingModule({
      providers: [
        {
          provide: Apollo,
          useValue: {
            query: (options: Asked) => {
              asked.push(options);
              return of({ data: { usersConnection: serverPage(options.variables) } });
            },
          },
        },
      ],
    });
    TestBed.inject(I18n).setLang('kk');
  });

  async function open(
    selected: ReadonlySet<string> = new Set(),
    known: PickableStudent[] = [],
    locked = new Set<string>(),
  ) {
    fixture = TestBed.createComponent(StudentPicker);
    fixture.componentRef.setInput('selected', selected);
    fixture.componentRef.setInput('known', known);
    fixture.componentRef.setInput('locked', locked);
    await fixture.whenStable();
    await waitUntil(() => searches().length === 1 && !!found().length);
    fixture.detectChanges();
  }

  async function type(testIdOf: string, value: string) {
    const field = testId(testIdOf) as HTMLInputElement;
    field.value = value;
    field.dispatchEvent(new Event('input'));
    await fixture.whenStable();
  }

  it('asks the server for one page of students, never for everyone, and reads more on demand', async () => {
    await open();
    expect(searches().map((a) => a.variables)).toEqual([{ search: null, first: PICKER_PAGE, after: null }]);
    expect(found().length).toBe(PICKER_PAGE);
    expect(el().textContent).toContain(`45 ішінен ${PICKER_PAGE} көрсетілді`);
    testId('load-more')!.click();
    await waitUntil(() => found().length === 45);
    fixture.detectChanges();
    expect(searches()[1].variables).toEqual({ search: null, first: PICKER_PAGE, after: String(PICKER_PAGE) });
    expect(testId('load-more')).toBeNull(); // all shown
  });

  it('searches on the server once typing pauses, Kazakh letters in any case', async () => {
    await open();
    for (const typed of ['ә', 'әл', 'ӘЛИ', 'ӘЛИЯ']) await type('find-student', typed);
    expect(searches().length).toBe(1); // nothing sent while typing
    await settle(SEARCH_DEBOUNCE_MS + 50);
    await waitUntil(() => searches().length === 2);
    fixture.detectChanges();
    expect(searches()[1].variables.search).toBe('ӘЛИЯ');
    await waitUntil(() => found().length === 1);
    expect(found()[0]).toContain('Әлия Нұрланқызы');
  });

  it('shows the selected students as chips, removable unless they have begun', async () => {
    await open(new Set(['s2', 's3']), [STUDENTS[1], STUDENTS[2]], new Set(['s3']));
    expect(chips().map((c) => c.textContent!.trim())).toEqual([
      jasmine.stringContaining('Арман Бекұлы'),
      jasmine.stringContaining('Дана Сапарова'),
    ]);
    // tick one found in the results: it becomes a chip with its name
    el().querySelector<HTMLInputElement>('[data-testid=found-students] li input')!.click();
    await fixture.whenStable();
    fixture.detectChanges();
    expect(fixture.componentInstance.selected()).toEqual(new Set(['s1', 's2', 's3']));
    expect(chips().map((c) => c.textContent)).toContain(jasmine.stringContaining('Әлия Нұрланқызы'));
    // the locked one has no remove button; the others do
    const removable = chips().filter((c) => c.querySelector('button[matChipRemove]'));
    expect(removable.map((c) => c.getAttribute('data-login')).sort()).toEqual(['aliya', 'arman']);
    removable
      .find((c) => c.getAttribute('data-login') === 'arman')!
      .querySelector<HTMLButtonElement>('button')!
      .click();
    await fixture.whenStable();
    expect(fixture.componentInstance.selected()).toEqual(new Set(['s1', 's3']));
  });

  it('adds pasted logins through the server and names those it does not know', async () => {
    await open();
    await type('paste-logins', 'Dana, student12\nnobody');
    testId('add-logins')!.click();
    await waitUntil(() => fixture.componentInstance.selected().size === 2);
    fixture.detectChanges();
    const byLogin = asked.filter((a) => a.query === StudentsByLoginDocument);
    expect(byLogin.map((a) => a.variables.logins)).toEqual([['dana', 'student12', 'nobody']]);
    expect(fixture.componentInstance.selected()).toEqual(new Set(['s3', 'x2']));
    expect(el().textContent).toContain('nobody');
    expect(
      chips()
        .map((c) => c.getAttribute('data-login'))
        .sort(),
    ).toEqual(['dana', 'student12']);
  });
});
