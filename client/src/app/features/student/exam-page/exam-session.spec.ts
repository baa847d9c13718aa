import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Apollo } from 'apollo-angular';
import { BehaviorSubject, of, Subject } from 'rxjs';
import { Connection } from '../../../core/graphql/connection';
import {
  ChooseTicketDocument,
  EnterExamDocument,
  ExamResyncDocument,
  QuestionsReleasedDocument,
  ShowTicketQuestionsDocument,
  TicketBoardChangedDocument,
} from '../../../core/graphql/generated';
import { ServerClock } from '../../../core/graphql/server-clock';
import { at, examFixture, MINUTE, NOW, sittingFixture } from '../../../../testing/exam-fixtures';
import { settle } from '../../../../testing/fakes';
import type { StudentExam } from './exam-rules';
import { ExamSession } from './exam-session';

type PushUpdate = (
  prev: unknown,
  options: { subscriptionData: { data: unknown }; complete: boolean; previousData: unknown },
) => { exam: StudentExam } | undefined;

/** Apollo as the session uses it: one watched exam, its pushes, and mutations answered by document. */
class FakeApollo {
  readonly exam$ = new BehaviorSubject<{ data: { exam: StudentExam } | undefined; loading: boolean }>({
    data: undefined,
    loading: true,
  });
  readonly released$ = new Subject<{ data: unknown }>();
  readonly board$ = new Subject<{ data: unknown }>();
  readonly resync$ = new Subject<{ data: unknown }>();
  readonly mutations: string[] = [];
  refetches = 0;
  questionsResult: unknown = { __typename: 'QuestionsPending', message: 'Please wait.' };

  set exam(exam: StudentExam) {
    this.exam$.next({ data: { exam }, loading: false });
  }

  watchQuery() {
    return {
      valueChanges: this.exam$,
      refetch: async () => {
        this.refetches++;
      },
      // a push: Apollo hands it to updateQuery with the query's data as it stands
      subscribeToMore: ({ document, updateQuery }: { document: unknown; updateQuery: PushUpdate }) => {
        const pushes =
          document === QuestionsReleasedDocument
            ? this.released$
            : document === TicketBoardChangedDocument
              ? this.board$
              : new Subject<{ data: unknown }>();
        const subscription = pushes.subscribe((subscriptionData) => {
          const next = updateQuery(undefined, {
            subscriptionData,
            complete: true,
            previousData: this.exam$.value.data,
          });
          if (next) this.exam = next.exam;
        });
        return () => subscription.unsubscribe();
      },
    };
  }

  subscribe({ query }: { query: unknown }) {
    return query === ExamResyncDocument ? this.resync$ : new Subject();
  }

  mutate({ mutation }: { mutation: unknown }) {
    if (mutation === EnterExamDocument) {
      this.mutations.push('enterExam');
      return of({ data: { enterExam: this.exam$.value.data?.exam.mySitting } });
    }
    if (mutation === ShowTicketQuestionsDocument) {
      this.mutations.push('showTicketQuestions');
      return of({ data: { showTicketQuestions: this.questionsResult } });
    }
    if (mutation === ChooseTicketDocument) {
      this.mutations.push('chooseTicket');
      return of({ data: { chooseTicket: sittingFixture({ ticketNumber: 9 }) } });
    }
    throw new Error('unexpected mutation');
  }
}

describe('the exam session', () => {
  let apollo: FakeApollo;
  let session: ExamSession;
  const now = signal(NOW);
  const reconnects = signal(0);
  const connectionState = signal<'online' | 'offline'>('online');

  beforeEach(() => {
    now.set(NOW);
    reconnects.set(0);
    connectionState.set('online');
    apollo = new FakeApollo();
    TestBed.configureTestingModule({
      providers: [
        ExamSession,
        { provide: Apollo, useValue: apollo },
        { provide: Connection, useValue: { reconnects, state: connectionState } },
        {
          provide: ServerClock,
          useValue: { now, timeZone: signal('Asia/Almaty'), exactNow: () => now(), sync: async () => undefined },
        },
      ],
    });
    session = TestBed.inject(ExamSession);
  });

  async function open(exam: StudentExam): Promise<void> {
    apollo.exam = exam;
    session.open('exam-1');
    await settle();
    TestBed.flushEffects();
    await settle();
  }

  it('drops a "no connection" notice once the connection is back, and keeps any other', async () => {
    await open(examFixture());
    connectionState.set('offline');
    session.notify('error.NETWORK', 'error');
    TestBed.flushEffects();
    expect(session.notice()?.key).toBe('error.NETWORK');
    connectionState.set('online');
    TestBed.flushEffects();
    expect(session.notice()).toBeNull();

    connectionState.set('offline');
    session.notify('error.EXAM_ENDED', 'error');
    TestBed.flushEffects();
    connectionState.set('online');
    TestBed.flushEffects();
    expect(session.notice()?.key).toBe('error.EXAM_ENDED');
  });

  it('enters the exam when the page opens (R2.1) and re-reads it', async () => {
    await open(examFixture());
    expect(apollo.mutations).toEqual(['enterExam']);
    expect(apollo.refetches).toBe(1);
    expect(session.view()?.board).toBe('choose');
  });

  it('keeps the board current as others choose (R4.2)', async () => {
    await open(examFixture());
    apollo.board$.next({
      data: {
        ticketBoardChanged: [
          { id: 'tile-a', taken: true },
          { id: 'tile-b', taken: true },
          { id: 'tile-c', taken: false },
        ],
      },
    });
    expect(session.exam()?.ticketBoard?.filter((t) => t.taken).length).toBe(2);
  });

  it('re-reads when the board moves while the student waits for a ticket from staff', async () => {
    await open(examFixture({ ticketAssignment: 'STAFF', ticketBoard: null }));
    const before = apollo.refetches;
    apollo.board$.next({ data: { ticketBoardChanged: [{ id: 'tile-a', taken: true }] } });
    await settle();
    expect(apollo.refetches).toBe(before + 1);
  });

  it('fetches the questions by itself when staff release them while the student waits (R5.2, R5.3)', async () => {
    await open(examFixture({ ticketBoard: null }, { ticketNumber: 4 }));
    await session.showQuestions();
    expect(session.view()?.showQuestionsPending).toBeTrue();

    apollo.questionsResult = {
      __typename: 'TicketQuestions',
      ticketNumber: 4,
      questions: '1. Q',
      viewedAt: at(0),
      files: [],
    };
    apollo.released$.next({
      data: { questionsReleased: sittingFixture({ ticketNumber: 4, questionsReleasedAt: at(0) }) },
    });
    TestBed.flushEffects();
    await settle();
    expect(apollo.mutations.filter((m) => m === 'showTicketQuestions').length).toBe(2);
    expect(session.questions()?.questions).toBe('1. Q');
    expect(session.view()?.showQuestions).toBeTrue();
  });

  it('shows the questions again after a reload once they were seen', async () => {
    apollo.questionsResult = {
      __typename: 'TicketQuestions',
      ticketNumber: 4,
      questions: '1. Q',
      viewedAt: at(-1),
      files: [],
    };
    await open(
      examFixture({ ticketBoard: null }, { ticketNumber: 4, questionsReleasedAt: at(-2), questionsViewedAt: at(-1) }),
    );
    expect(apollo.mutations).toContain('showTicketQuestions');
    expect(session.questions()).not.toBeNull();
  });

  it('does not fetch the questions before the student asks, even once released', async () => {
    await open(examFixture({ ticketBoard: null }, { ticketNumber: 4, questionsReleasedAt: at(-1) }));
    expect(apollo.mutations).not.toContain('showTicketQuestions');
    expect(session.view()?.questionsReleasedHint).toBeTrue();
  });

  it('re-reads the exam when the server says pushes may have been missed (its pub/sub was down)', async () => {
    await open(examFixture());
    const before = apollo.refetches;
    apollo.resync$.next({ data: { examResync: { examId: 'exam-1', at: at(0) } } });
    await settle();
    expect(apollo.refetches).toBe(before + 1);
  });

  it('re-reads at the start time, and enters again on a RANDOM exam to draw the ticket', async () => {
    await open(examFixture({ startsAt: at(1), ticketAssignment: 'RANDOM', ticketBoard: null }));
    expect(session.view()?.board).toBe('byRandom');
    now.set(NOW + MINUTE);
    TestBed.flushEffects();
    await settle();
    expect(apollo.mutations).toEqual(['enterExam', 'enterExam']);
  });

  it('says which ticket was chosen (R4.4)', async () => {
    await open(examFixture());
    await session.chooseTicket('tile-a');
    expect(apollo.mutations).toContain('chooseTicket');
    expect(session.notice()?.key).toBe('board.chosen');
    expect(session.notice()?.params).toEqual({ n: 9 });
  });
});
