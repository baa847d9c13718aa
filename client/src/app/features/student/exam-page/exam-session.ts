import { LiveAnnouncer } from '@angular/cdk/a11y';
import { computed, DestroyRef, effect, inject, Injectable, signal, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Apollo, type QueryRef } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { Connection } from '../../../core/graphql/connection';
import { errorCode } from '../../../core/graphql/errors';
import { rereadOnResync } from '../../../core/graphql/exam-resync';
import {
  ChooseTicketDocument, EnterExamDocument, MySittingChangedDocument, QuestionsReleasedDocument, ShowTicketQuestionsDocument, type ShowTicketQuestionsMutation,
  StudentExamDocument, type StudentExamQuery, type StudentExamQueryVariables, TicketBoardChangedDocument,
} from '../../../core/graphql/generated';
import { ServerClock } from '../../../core/graphql/server-clock';
import { I18n } from '../../../core/i18n/i18n';
import type { MessageKey } from '../../../core/i18n/kk';
import { examView, type StudentExam } from './exam-rules';

export type TicketQuestions = Extract<ShowTicketQuestionsMutation['showTicketQuestions'], { __typename: 'TicketQuestions' }>;

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
  private readonly connection = inject(Connection);
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
    return exam ? examView(exam, this.now(), { questionsRequested: this.questionsRequested(), questionsLoaded: !!this.questions() }) : null;
  });

  /** the questions should be fetched: seen before (a reload), or released while the student waits (R5.3) */
  private readonly questionsDue = computed(() => {
    const sitting = this.exam()?.mySitting;
    const view = this.view();
    if (!sitting || !view || view.ticketNumber == null || this.questions() || this.questionsBusy() || this.questionsAutoPaused()) return false;
    return !!sitting.questionsViewedAt || (this.questionsRequested() && !!sitting.questionsReleasedAt);
  });

  /** 'upcoming' → 'running' → 'ended' on the server's clock: each change re-reads what the server now allows */
  private readonly phase = computed(() => this.view()?.phase ?? null);

  constructor() {
    effect(() => {
      if (this.questionsDue()) untracked(() => void this.showQuestions(false));
    });

    let lastPhase: string | null = null;
    effect(() => {
      const phase = this.phase();
      const previous = lastPhase;
      lastPhase = phase;
      if (previous && phase && previous !== phase) {
        // at the start a RANDOM ticket is drawn on entering; otherwise just re-read the board, ticket and task
        untracked(() => void (phase === 'running' && this.exam()?.ticketAssignment === 'RANDOM' ? this.enter() : this.refresh()));
      }
    });

    let seenReconnects = this.connection.reconnects();
    effect(() => {
      const reconnects = this.connection.reconnects();
      if (reconnects === seenReconnects) return;
      seenReconnects = reconnects;
      // graphql-ws has re-subscribed by itself; re-read what may have changed while offline (a release, a grade)
      untracked(() => this.reread());
    });
  }

  /** after a reconnect or a resync: what may have changed while pushes were not arriving */
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

    // R5.3: questions released by staff reach the open page without a reload
    this.apollo.subscribe({ query: QuestionsReleasedDocument, variables: { examId } })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: ({ data }) => {
          const sitting = data?.questionsReleased;
          if (!sitting) return;
          this.queryRef?.updateQuery((_, { complete, previousData }) => (complete && previousData.exam ? { exam: { ...previousData.exam, mySitting: sitting } } : undefined));
          if (!this.questionsRequested()) void this.announcer.announce(this.i18n.t('questions.released'));
        },
        error: () => undefined, // refused (not enrolled, signed out): the exam query shows why
      });

    // extra time, a grade, or a change to the platform or recording, while the page is open
    let lastExamRead = 0;
    this.apollo.subscribe({ query: MySittingChangedDocument, variables: { examId } })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: ({ data }) => {
          const sitting = data?.mySittingChanged;
          if (!sitting) return;
          this.queryRef?.updateQuery((_, { complete, previousData }) => (complete && previousData.exam ? { exam: { ...previousData.exam, mySitting: sitting } } : undefined));
          // the exam itself (platform, recording) may have changed too: re-read it, at most every few seconds
          if (Date.now() - lastExamRead > 5000) {
            lastExamRead = Date.now();
            void this.refresh();
          }
        },
        error: () => undefined,
      });

    // R4.2: the board as others choose; a push while the student has no board may mean a ticket was given or entered
    this.apollo.subscribe({ query: TicketBoardChangedDocument, variables: { examId } })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: ({ data }) => {
          const tiles = data?.ticketBoardChanged;
          const exam = this.exam();
          if (!tiles || !exam) return;
          if (exam.ticketBoard) {
            this.queryRef?.updateQuery((_, { complete, previousData }) => (complete && previousData.exam ? { exam: { ...previousData.exam, ticketBoard: tiles } } : undefined));
          } else if (exam.format === 'TICKETS' && exam.mySitting?.ticketNumber == null && this.view()?.started) {
            void this.refresh();
          }
        },
        error: () => undefined,
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
      const { data } = await firstValueFrom(this.apollo.mutate({ mutation: ChooseTicketDocument, variables: { examId: this.examId, ticketId } }));
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
      const { data } = await firstValueFrom(this.apollo.mutate({ mutation: ShowTicketQuestionsDocument, variables: { examId: this.examId } }));
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
