import { signal } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter, Router, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { Apollo } from 'apollo-angular';
import { BehaviorSubject, of, Subject } from 'rxjs';
import { Connection } from '../../../core/graphql/connection';
import {
  AssignTicketDocument,
  ExamRoomDocument,
  ReleaseQuestionsDocument,
  type RoomSittingFragment,
} from '../../../core/graphql/generated';
import { ServerClock } from '../../../core/graphql/server-clock';
import { I18n } from '../../../core/i18n/i18n';
import { Confirmation } from '../../../shared/confirm-dialog/confirm-dialog';
import { at, NOW } from '../../../../testing/exam-fixtures';
import { FakeConfirmation, settle, waitUntil } from '../../../../testing/fakes';
import { roomSitting } from '../../../../testing/room-fixtures';
import { LiveRoom } from './live-room';

const EXAM = {
  id: 'exam-1',
  startsAt: at(-10),
  endsAt: at(120),
  format: 'TICKETS',
  ticketAssignment: 'STUDENT_CHOICE',
  discipline: { id: 'd1', code: 'CSE-301', title: 'Деректер қорлары' },
  teacher: { id: 't1', fullName: 'Нұрлан Әбенов' },
  tickets: [{ id: 'ticket-4', number: 4, takenBy: null }],
};

describe('the live room', () => {
  let fixture: ComponentFixture<LiveRoom>;
  let pushes: Subject<{ data: { sittingChanged: RoomSittingFragment } }>;
  let queries: number;
  let mutations: { mutation: unknown; variables: Record<string, unknown> }[];
  let rows: RoomSittingFragment[];
  let exam: Record<string, unknown>;

  const el = () => fixture.nativeElement as HTMLElement;
  const count = (key: string) => el().querySelector(`[data-count=${key}] strong`)?.textContent?.trim();
  const row = (login: string) => el().querySelector<HTMLElement>(`tr[data-student=${login}]`)!;

  beforeEach(() => {
    exam = EXAM;
  });

  async function open(): Promise<void> {
    fixture = TestBed.createComponent(LiveRoom);
    fixture.componentRef.setInput('examId', 'exam-1');
    await fixture.whenStable();
    await settle();
    await fixture.whenStable();
  }

  beforeEach(async () => {
    pushes = new Subject();
    queries = 0;
    mutations = [];
    rows = [
      roomSitting('student02', 'Әлия Нұрланқызы', {
        online: true,
        onlineSince: at(-3),
        enteredAt: at(-3),
        ticketNumber: 4,
      }),
      roomSitting('student03', 'Арман Бекұлы', {
        enteredAt: at(-8),
        lastSeenAt: at(-1),
        ticketNumber: 9,
        questionsReleasedAt: at(-6),
        questionsViewedAt: at(-5),
        answerSavedAt: at(-2),
      }),
      roomSitting('student04', 'Дана Сапарова', { blindCode: 'K7M-3Q' }),
    ];
    // Apollo's cache as the room sees it: one watched room; pushes and mutation results replace a sitting by its id
    let room: BehaviorSubject<{ data: { exam: { sittings: RoomSittingFragment[] } }; loading: boolean }>;
    const put = (changed: readonly RoomSittingFragment[]) => {
      const current = room.value.data.exam;
      room.next({
        data: { exam: { ...current, sittings: current.sittings.map((s) => changed.find((c) => c.id === s.id) ?? s) } },
        loading: false,
      });
    };
    const apollo = {
      watchQuery: ({ query }: { query: unknown }) => {
        if (query === ExamRoomDocument) queries++;
        room = new BehaviorSubject({ data: { exam: { ...exam, sittings: rows } }, loading: false as boolean });
        return {
          valueChanges: room,
          refetch: async () => void queries++,
          subscribeToMore: ({
            updateQuery,
          }: {
            updateQuery: (prev: unknown, options: object) => { exam: { sittings: RoomSittingFragment[] } } | undefined;
          }) => {
            const subscription = pushes.subscribe((subscriptionData) => {
              const next = updateQuery(undefined, { subscriptionData, complete: true, previousData: room.value.data });
              if (next) room.next({ data: next, loading: false });
            });
            return () => subscription.unsubscribe();
          },
        };
      },
      subscribe: () => new Subject(), // the exam's resync signal
      mutate: (options: { mutation: unknown; variables: Record<string, unknown> }) => {
        mutations.push(options);
        if (options.mutation === AssignTicketDocument) {
          const sitting = rows.find((r) => r.student.id === options.variables['studentId'])!;
          const assigned = { ...sitting, ticketNumber: 5 };
          put([assigned]);
          return of({ data: { assignTicket: assigned } });
        }
        const released = rows
          .filter((r) => (options.variables['studentIds'] as string[]).includes(r.student.id))
          .map((r) => ({ ...r, questionsReleasedAt: at(0) }));
        put(released);
        return of({ data: { releaseQuestions: released } });
      },
    };
    TestBed.configureTestingModule({
      providers: [
        provideRouter([{ path: 'staff/exams/:examId/room', component: LiveRoom }], withComponentInputBinding()),
        { provide: Apollo, useValue: apollo },
        { provide: Connection, useValue: { reconnects: signal(0), state: signal('online') } },
        {
          provide: ServerClock,
          useValue: {
            now: signal(NOW),
            timeZone: signal('Asia/Almaty'),
            exactNow: () => NOW,
            sync: async () => undefined,
          },
        },
        { provide: Confirmation, useValue: new FakeConfirmation() },
      ],
    });
    TestBed.inject(I18n).setLang('kk');
  });

  it("shows one row per student with presence, ticket, questions and the draft's time only", async () => {
    await open();
    expect(el().querySelector('h1')!.textContent).toContain('Тікелей бақылау: Деректер қорлары');
    expect(el().querySelectorAll('tbody tr').length).toBe(3);
    expect(row('student02').querySelector('[data-testid=presence]')!.textContent).toContain('10:57:00 бастап желіде');
    expect(row('student03').querySelector('[data-testid=presence]')!.textContent).toContain(
      '10:59:00 бастап желіден тыс',
    );
    expect(row('student04').querySelector('[data-testid=presence]')!.textContent).toContain('Кірген жоқ');
    expect(row('student03').querySelector('[data-testid=questions]')!.textContent).toContain('Көрді 10:55:00');
    expect(row('student03').querySelector('[data-testid=answer]')!.textContent!.trim()).toBe('Жоба сақталды 10:58:00');
    expect([count('online'), count('ticket'), count('viewed'), count('sent')]).toEqual(['1', '2', '1', '0']);
    // blind marking: staff see the code the teacher knows a student by, beside the name
    expect(row('student04').querySelector('[data-testid=room-blind-code]')!.textContent!.trim()).toBe('Код K7M-3Q');
    expect(row('student02').querySelector('[data-testid=room-blind-code]')).toBeNull();
  });

  it('updates the row and the counts the moment sittingChanged pushes, without reading the room again', async () => {
    await open();
    pushes.next({ data: { sittingChanged: { ...rows[2], online: true, onlineSince: at(0), enteredAt: at(0) } } });
    await fixture.whenStable();
    expect(count('online')).toBe('2');
    expect(row('student04').querySelector('[data-testid=presence]')!.getAttribute('data-online')).toBe('true');
    expect(row('student04').classList).toContain('changed');

    pushes.next({ data: { sittingChanged: { ...rows[1], answerStatus: 'SUBMITTED', submittedAt: at(0) } } });
    pushes.next({ data: { sittingChanged: { ...rows[0], online: false, lastSeenAt: at(0) } } });
    await fixture.whenStable();
    expect([count('online'), count('sent')]).toEqual(['1', '1']);
    expect(row('student03').querySelector('[data-testid=answer]')!.textContent).toContain('Жіберілді 11:00:00');
    expect(queries).toBe(1);
  });

  it('releases the questions to the ticked student only; those without a ticket or already released cannot be ticked', async () => {
    await open();
    const boxes = (login: string) => row(login).querySelector<HTMLInputElement>('input[type=checkbox]')!;
    expect(boxes('student04').disabled).toBeTrue(); // no ticket
    expect(boxes('student03').disabled).toBeTrue(); // already released
    const release = el().querySelector<HTMLButtonElement>('[data-testid=release-selected]')!;
    expect(release.disabled).toBeTrue();

    boxes('student02').click();
    await fixture.whenStable();
    expect(release.textContent).toContain('(1)');
    release.click();
    await waitUntil(() => mutations.length === 1);
    expect(mutations[0].mutation).toBe(ReleaseQuestionsDocument);
    expect(mutations[0].variables).toEqual({ examId: 'exam-1', studentIds: ['student-student02'] });
    await fixture.whenStable();
    expect(row('student02').querySelector('[data-testid=questions]')!.textContent).toContain('Жіберілді 11:00:00');
    expect(el().querySelector('[data-testid=room-notice]')!.textContent).toContain(
      'Сұрақтар жіберілді: 1 білім алушы.',
    );
  });

  describe('filtered and sorted through the address', () => {
    let harness: RouterTestingHarness;
    const page = () => harness.routeNativeElement!;
    const shownRows = () =>
      Array.from(page().querySelectorAll<HTMLElement>('tbody tr')).map((r) => r.dataset['student']);
    const chip = (key: string) => page().querySelector<HTMLButtonElement>(`[data-filter=${key}]`)!;
    const header = (sort: string) => page().querySelector<HTMLButtonElement>(`[data-sort=${sort}]`)!.closest('th')!;
    const address = () => TestBed.inject(Router).url;

    async function visit(url: string): Promise<void> {
      harness = await RouterTestingHarness.create();
      await harness.navigateByUrl(url, LiveRoom);
      await settle();
      harness.detectChanges();
      await harness.fixture.whenStable();
    }
    async function click(button: HTMLButtonElement): Promise<void> {
      button.click();
      await waitUntil(() => !!harness.routeNativeElement);
      await settle(20);
      await harness.fixture.whenStable();
    }

    it('shows the state the address names, with a count on every filter, and keeps a new choice in the address', async () => {
      await visit('/staff/exams/exam-1/room?state=draft');
      expect(shownRows()).toEqual(['student03']);
      expect(chip('draft').getAttribute('aria-pressed')).toBe('true');
      expect(chip('all').getAttribute('aria-pressed')).toBe('false');
      expect(page().querySelector('[data-testid=room-filters]')!.getAttribute('aria-label')).toBe(
        'Күйі бойынша көрсету',
      );
      const label = (key: string) => chip(key).textContent!.replace(/\s+/g, ' ').trim();
      expect([label('all'), label('online'), label('offline'), label('waiting'), label('viewed')]).toEqual([
        'Барлығы 3',
        'Желіде 1',
        'Желіден тыс 1',
        'Сұрақтарды күтуде 1',
        'Сұрақтарды көрген 1',
      ]);
      expect(page().querySelector('[data-testid=room-shown]')!.textContent).toContain('3 білім алушының 1 көрсетілген');

      await click(chip('waiting'));
      expect(address()).toBe('/staff/exams/exam-1/room?state=waiting');
      expect(shownRows()).toEqual(['student02']);

      pushes.next({ data: { sittingChanged: { ...rows[1], ticketNumber: null, questionsReleasedAt: null } } });
      pushes.next({ data: { sittingChanged: { ...rows[2], ticketNumber: 5 } } });
      await harness.fixture.whenStable();
      expect(shownRows()).withContext('a push moves a row into the filter').toEqual(['student02', 'student04']);

      await click(chip('all'));
      expect(address()).toBe('/staff/exams/exam-1/room');
      expect(shownRows().length).toBe(3);
    });

    it('ticks with "select all" only the waiting students the filter shows', async () => {
      const selectAll = () =>
        page().querySelector<HTMLInputElement>('input[aria-label="Сұрақтарын күтіп отырғандардың бәрін таңдау"]')!;
      await visit('/staff/exams/exam-1/room?state=draft');
      expect(shownRows()).toEqual(['student03']);
      expect(selectAll().disabled).withContext('the waiting student02 is hidden').toBeTrue();

      await click(chip('all'));
      expect(selectAll().disabled).toBeFalse();
      selectAll().click();
      harness.detectChanges();
      await harness.fixture.whenStable();
      const ticked = () =>
        Array.from(page().querySelectorAll<HTMLElement>('tbody tr'))
          .filter((r) => r.querySelector<HTMLInputElement>('td.select input')?.checked)
          .map((r) => r.dataset['student']);
      expect(ticked()).toEqual(['student02']);
    });

    it('sorts by a column from its header, says so with aria-sort, and turns it round on a second click', async () => {
      await visit('/staff/exams/exam-1/room');
      expect(header('name').getAttribute('aria-sort')).toBe('ascending');
      expect(header('presence').hasAttribute('aria-sort')).toBeFalse();
      expect(shownRows()).toEqual(['student03', 'student02', 'student04']); // Арман, Әлия, Дана

      await click(header('presence').querySelector('button')!);
      expect(address()).toBe('/staff/exams/exam-1/room?sort=presence&dir=desc');
      expect(header('presence').getAttribute('aria-sort')).toBe('descending');
      expect(header('name').hasAttribute('aria-sort')).toBeFalse();
      expect(shownRows()).toEqual(['student02', 'student03', 'student04']); // online, then last seen, then never

      await click(header('presence').querySelector('button')!);
      expect(header('presence').getAttribute('aria-sort')).toBe('ascending');
      expect(shownRows()).toEqual(['student03', 'student02', 'student04']);
    });

    it('opens sorted and filtered as a reload of the address finds it', async () => {
      await visit('/staff/exams/exam-1/room?state=offline&sort=answer&dir=desc');
      expect(shownRows()).toEqual(['student03']);
      expect(header('answer').getAttribute('aria-sort')).toBe('descending');
      expect(chip('offline').getAttribute('aria-pressed')).toBe('true');
    });
  });

  it('lets staff give a free ticket to a student when staff give the tickets', async () => {
    exam = {
      ...EXAM,
      ticketAssignment: 'STAFF',
      tickets: [
        ...EXAM.tickets,
        { id: 'ticket-9', number: 9, takenBy: null },
        { id: 'ticket-5', number: 5, takenBy: null },
      ],
    };
    await open();
    expect(row('student02').querySelector('mat-select')).toBeNull(); // holds one already
    const select = row('student04').querySelector<HTMLElement>('mat-select')!;
    select.querySelector<HTMLElement>('.mat-mdc-select-trigger')!.click();
    await fixture.whenStable();
    const options = Array.from(document.querySelectorAll<HTMLElement>('mat-option'));
    expect(options.map((o) => o.textContent!.trim())).toEqual(['№ 5']); // № 4 and № 9 are held
    options[0].click();
    await waitUntil(() => mutations.length === 1);
    expect(mutations[0].variables).toEqual({ examId: 'exam-1', studentId: 'student-student04', ticketId: 'ticket-5' });
    await fixture.whenStable();
    expect(row('student04').querySelector('[data-testid=ticket]')!.textContent!.trim()).toBe('№ 5');
  });
});
