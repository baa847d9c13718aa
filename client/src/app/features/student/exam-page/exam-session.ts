import { LiveAnnouncer } from '@angular/cdk/a11y';
import { computed, DestroyRef, effect, inject, Injectable, signal, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Apollo, type QueryRef } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { Connection } from '../../../core/graphql/connection';
import { errorCode } from '../../../core/graphql/errors';
import { rereadOnResync } from '../../../core/graphql/exam-resync';
import {
  ChooseTicketDocument,
  EnterExamDocument,
  MySittingChangedDocument,
  QuestionsReleasedDocument,
  ShowTicketQuestionsDocument,
  type ShowTicketQuestionsMutation,
  StudentExamDocument,
  type StudentExamQuery,
  type StudentExamQueryVariables,
  TicketBoardChangedDocument,
} from '../../../core/graphql/generated';
import { ServerClock } from '../../../core/graphql/server-clock';
import { I18n } from '../../../core/i18n/i18n';
import type { MessageKey } from '../../../core/i18n/kk';
import { examView, type StudentExam } from './exam-rules';

export type TicketQuestions = Extract<
  ShowTicketQuestionsMutation['showTicketQuestions'],
  { __typename: 'TicketQuestions' }
>;

export interface PageNotice {
  readonly key: MessageKey;
  readonly params?: Readonly<Record<string, string | number>>;
  readonly tone: 'info' | 'error';
}

/**
 * One student's exam page, live: the exam as the server gives it, kept current by the two
 * subscriptions (which also make the student "online", R2.1), re-read after a reconnect and at the
 * start and end times, plus the student's own actions (choose a ticket, show the questions).
 */
@Injectable()
export class ExamSession {
  private readonly apollo = inject(Apollo);
  private readonly clock = inject(ServerClock);
  private readonly announcer = inject(LiveAnnouncer);
  private readonly i18n = inject(I18n);
  private readonly destroyRef = inject(DestroyRef);
  private queryRef: QueryRef<StudentExamQuery, StudentExamQueryVariables> | null = null;
  private examId = '';

  readonly exam = signal<StudentExam | null>(null);
  readonly loading = signal(true);
  readonly loadError = signal<MessageKey | null>(null);
  readonly notice = signal<PageNotice | null>(null);
  readonly questions = signal<TicketQuestions | null>(null);
  readonly questionsRequested = signal(false);
  readonly questionsBusy = signal(false);
  readonly choosing = signal(false);
  /** an automatic fetch of the questions failed; try again only after the next re-read */
  private readonly questionsAutoPaused = signal(false);

  readonly now = this.clock.now;
  readonly view = computed(() => {
    const exam = this.exam();
    return exam
      ? examView(exam, this.now(), {
          questionsRequested: this.questionsRequested(),
          questionsLoaded: !!this.questions(),
        })
      : null;
  });

  /** the questions should be fetched: seen before (a reload), or released while the student waits (R5.3) */
  private readonly questionsDue = computed(() => {
    const sitting = this.exam()?.mySitting;
    const view = this.view();
    if (
      !sitting ||
      !view ||
      view.ticketNumber == null ||
      this.questions() ||
      this.questionsBusy() ||
      this.questionsAutoPaused()
    )
      return false;
    return !!sitting.questionsViewedAt || (this.questionsRequested() && !!sitting.questionsReleasedAt);
  });

  /** 'upcoming' → 'running' → 'ended' on the server's clock: each change re-reads what the server now allows */
  private readonly phase = computed(() => this.view()?.phase ?? null);

  constructor() {
    effect(() => {
      if (this.questionsDue()) untracked(() => void this.showQuestions(false));
    });

    // "no connection" is over once the connection is back: the message does not outlive its cause
    const connection = inject(Connection);
    effect(() => {
      if (connection.state() === 'online' && untracked(this.notice)?.key === 'error.NETWORK') this.notice.set(null);
    });

    let lastPhase: string | null = null;
    effect(() => {
      const phase = this.phase();
      const previous = lastPhase;
      lastPhase = phase;
      if (previous && phase && previous !== phase) {
        // at the start a RANDOM ticket is drawn on entering; otherwise just re-read the board, ticket and task
        untracked(
          () =>
            void (phase === 'running' && this.exam()?.ticketAssignment === 'RANDOM' ? this.enter() : this.refresh()),
        );
      }
    });
  }

  /** after a resync: what may have changed while pushes were not arriving (a reconnect: core/graphql/reconnect.ts) */
  private reread(): void {
    void this.refresh();
    void this.clock.sync().catch(() => undefined);
  }

  open(examId: string): void {
    this.examId = examId;
    this.queryRef = this.apollo.watchQuery({
      query: StudentExamDocument,
      variables: { id: examId },
      fetchPolicy: 'network-only',
      nextFetchPolicy: 'cache-first',
    });
    this.queryRef.valueChanges.pipe(takeUntilDestroyed(this.destroyRef)).subscribe((result) => {
      if (result.data?.exam) {
        this.exam.set(result.data.exam as StudentExam);
        this.loadError.set(null);
      } else if (result.error && !this.exam()) {
        const code = errorCode(result.error);
        this.loadError.set(code === 'NOT_FOUND' || code === 'FORBIDDEN' ? 'exam.notFound' : `error.${code}`);
      }
      this.loading.set(result.loading);
    });

    // pushes land in Apollo's cache (a Sitting by its id), so every view of this sitting follows; updateQuery only
    // puts the pushed sitting or board in place for this query and the callbacks do what a push means for the page
    const queryRef = this.queryRef;
    type Previous = { complete: true; previousData: StudentExamQuery } | { complete: false; previousData: unknown };
    const withExam = (previous: Previous, change: (exam: StudentExam) => StudentExam): StudentExamQuery | undefined =>
      previous.complete && previous.previousData.exam
        ? { exam: change(previous.previousData.exam as StudentExam) }
        : undefined;

    // R5.3: questions released by staff reach the open page without a reload
    queryRef.subscribeToMore({
      document: QuestionsReleasedDocument,
      variables: { examId },
      updateQuery: (_, { subscriptionData, ...previous }) => {
        const sitting = subscriptionData.data?.questionsReleased;
        if (!sitting) return undefined;
        if (!this.questionsRequested()) void this.announcer.announce(this.i18n.t('questions.released'));
        return withExam(previous, (exam) => ({ ...exam, mySitting: sitting }));
      },
      onError: () => undefined, // refused (not enrolled, signed out): the exam query shows why
    });

    // extra time, a grade, or a change to the platform or recording, while the page is open
    let lastExamRead = 0;
    queryRef.subscribeToMore({
      document: MySittingChangedDocument,
      variables: { examId },
      updateQuery: (_, { subscriptionData, ...previous }) => {
        const sitting = subscriptionData.data?.mySittingChanged;
        if (!sitting) return undefined;
        // the exam itself (platform, recording) may have changed too: re-read it, at most every few seconds
        if (Date.now() - lastExamRead > 5000) {
          lastExamRead = Date.now();
          queueMicrotask(() => void this.refresh());
        }
        return withExam(previous, (exam) => ({ ...exam, mySitting: sitting }));
      },
      onError: () => undefined,
    });

    // R4.2: the board as others choose; a push while the student has no board may mean a ticket was given or entered
    queryRef.subscribeToMore({
      document: TicketBoardChangedDocument,
      variables: { examId },
      updateQuery: (_, { subscriptionData, ...previous }) => {
        const tiles = subscriptionData.data?.ticketBoardChanged;
        const exam = previous.complete ? previous.previousData.exam : null;
        if (!tiles || !exam) return undefined;
        if (exam.ticketBoard) return withExam(previous, (current) => ({ ...current, ticketBoard: tiles }));
        if (exam.format === 'TICKETS' && exam.mySitting?.ticketNumber == null && this.view()?.started)
          queueMicrotask(() => void this.refresh());
        return undefined;
      },
      onError: () => undefined,
    });

    // the server's pub/sub was down and is back: pushes may have been missed
    rereadOnResync(this.apollo, examId, this.destroyRef, () => this.reread());

    void this.enter();
  }

  /** R2.1, and the RANDOM draw once the exam is open */
  async enter(): Promise<void> {
    try {
      await firstValueFrom(this.apollo.mutate({ mutation: EnterExamDocument, variables: { examId: this.examId } }));
    } catch (error) {
      const code = errorCode(error);
      if (code === 'NO_FREE_TICKETS') this.notify('error.NO_FREE_TICKETS', 'error');
      // other failures (offline, not enrolled) show through the exam query itself
    }
    await this.refresh();
  }

  /** Re-reads the exam; on failure the page keeps what it shows (the connection badge says why). */
  async refresh(): Promise<void> {
    this.questionsAutoPaused.set(false);
    try {
      await this.queryRef?.refetch();
    } catch {
      // offline: the next reconnect re-reads
    }
  }

  /** R4.3: one confirmed choice (the page asks first). */
  async chooseTicket(ticketId: string): Promise<void> {
    if (this.choosing()) return;
    this.choosing.set(true);
    this.notice.set(null);
    try {
      const { data } = await firstValueFrom(
        this.apollo.mutate({ mutation: ChooseTicketDocument, variables: { examId: this.examId, ticketId } }),
      );
      const number = data?.chooseTicket.ticketNumber;
      if (number != null) {
        this.notify('board.chosen', 'info', { n: number });
      }
    } catch (error) {
      this.notify(`error.${errorCode(error)}`, 'error');
    } finally {
      this.choosing.set(false);
    }
    await this.refresh();
  }

  /** R5.2, R5.3: «Билет бойынша сұрақтарды көрсету» */
  async showQuestions(pressed = true): Promise<void> {
    if (this.questionsBusy()) return;
    if (pressed) this.questionsRequested.set(true);
    this.questionsBusy.set(true);
    try {
      const { data } = await firstValueFrom(
        this.apollo.mutate({ mutation: ShowTicketQuestionsDocument, variables: { examId: this.examId } }),
      );
      const result = data?.showTicketQuestions;
      if (result?.__typename === 'TicketQuestions') {
        this.questions.set(result);
        this.questionsRequested.set(true);
        void this.announcer.announce(this.i18n.t('questions.title'));
        this.questionsBusy.set(false);
        await this.refresh(); // questionsViewedAt is now set: the answers block opens (R7.1)
      } else if (pressed) {
        void this.announcer.announce(this.i18n.t('questions.pending'));
      }
    } catch (error) {
      this.questionsAutoPaused.set(true);
      this.notify(`error.${errorCode(error)}`, 'error');
    } finally {
      this.questionsBusy.set(false);
    }
  }

  notify(key: MessageKey, tone: PageNotice['tone'], params?: PageNotice['params']): void {
    this.notice.set({ key, tone, params });
    void this.announcer.announce(this.i18n.t(key, params), tone === 'error' ? 'assertive' : 'polite');
  }
}
