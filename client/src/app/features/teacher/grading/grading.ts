import { SendMark } from '../../../shared/send-mark/send-mark';
import { LiveAnnouncer } from '@angular/cdk/a11y';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  input,
  linkedSignal,
  type OnInit,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router, RouterLink } from '@angular/router';
import { hasEnded } from '@rules';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { errorCode, errorMessageKey } from '../../../core/graphql/errors';
import { rereadOnResync } from '../../../core/graphql/exam-resync';
import {
  GradeSittingDocument,
  type GradedSittingFragment,
  GradingExamDocument,
  type GradingExamQuery,
  GradingSittingChangedDocument,
} from '../../../core/graphql/generated';
import { ServerClock } from '../../../core/graphql/server-clock';
import { I18n } from '../../../core/i18n/i18n';
import type { MessageKey } from '../../../core/i18n/kk';
import { FileList } from '../../../shared/file-list/file-list';
import { PageHeader } from '../../../shared/page-header/page-header';
import { PublishResults } from '../../../shared/publish-results/publish-results';
import { clockTime } from '../../../shared/zoned-time/zoned-time';
import { type GradeDecision, GradingForm } from '../grading-form/grading-form';

type GradingExam = Omit<NonNullable<GradingExamQuery['exam']>, 'sittings'>;

type Order = (a: GradedSittingFragment, b: GradedSittingFragment) => number;
const byName: Order = (a, b) => a.student.fullName.localeCompare(b.student.fullName);
const byCode: Order = (a, b) => (a.blindCode ?? '').localeCompare(b.blindCode ?? '');
const bySending: Order = (a, b) => (a.submittedAt ?? '').localeCompare(b.submittedAt ?? '') || byName(a, b);

/**
 * The answers a teacher grades, in the order they were sent; after the end, those who sent nothing too. Under blind
 * marking (the server hides the students: `blind`) both lists go by code, the one thing the teacher knows them by.
 */
export function gradingQueue(
  sittings: readonly GradedSittingFragment[],
  now: number,
): { sent: GradedSittingFragment[]; unsent: GradedSittingFragment[] } {
  const blind = sittings.some((s) => s.blind);
  const sent = sittings.filter((s) => s.answerStatus === 'SUBMITTED').sort(blind ? byCode : bySending);
  // s.endsAt is the student's own end (extra time included)
  const unsent = sittings
    .filter((s) => s.answerStatus !== 'SUBMITTED' && hasEnded(s, null, now))
    .sort(blind ? byCode : byName);
  return { sent, unsent };
}

/** The next answer without a grade after `currentId` (wrapping round), or null when all are graded. */
export function nextUngraded(
  queue: readonly GradedSittingFragment[],
  currentId: string | null,
): GradedSittingFragment | null {
  const start = queue.findIndex((s) => s.id === currentId);
  for (let i = 1; i <= queue.length; i++) {
    const candidate = queue[(start + i) % queue.length];
    if (!candidate.grade && candidate.id !== currentId) return candidate;
  }
  return null;
}

/** A teacher's exam: the sent answers (never drafts), each beside its ticket's questions, graded one after another. */
@Component({
  selector: 'app-grading',
  imports: [
    PageHeader,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    RouterLink,
    FileList,
    GradingForm,
    SendMark,
    PublishResults,
  ],
  templateUrl: './grading.html',
  styleUrl: './grading.css',
  host: { '(document:keydown)': 'onDocumentKey($event)' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Grading implements OnInit {
  private readonly apollo = inject(Apollo);
  private readonly router = inject(Router);
  private readonly clock = inject(ServerClock);
  private readonly announcer = inject(LiveAnnouncer);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly i18n = inject(I18n);

  /** the route's :examId */
  readonly examId = input.required<string>();
  /** ?answer= the sitting shown */
  readonly answer = input<string>();

  protected readonly exam = signal<GradingExam | null>(null);
  private readonly rows = signal<ReadonlyMap<string, GradedSittingFragment>>(new Map());
  protected readonly loading = signal(true);
  protected readonly loadError = signal<MessageKey | null>(null);
  protected readonly busy = signal(false);
  protected readonly notice = signal<{
    key: MessageKey;
    params?: Record<string, string | number>;
    error: boolean;
  } | null>(null);

  /** blind marking: the server shows this teacher codes, not names, until the results are published */
  protected readonly blindNow = computed(() => [...this.rows().values()].some((s) => s.blind));
  protected readonly queue = computed(() => gradingQueue([...this.rows().values()], this.clock.now()));
  /** sent answers first, then (after the end) those who sent nothing */
  private readonly ordered = computed(() => [...this.queue().sent, ...this.queue().unsent]);
  protected readonly selectedId = linkedSignal(() => this.answer() ?? null);
  protected readonly selected = computed(() => {
    const id = this.selectedId();
    return id ? (this.rows().get(id) ?? null) : null;
  });
  protected readonly next = computed(() => nextUngraded(this.ordered(), this.selectedId()));
  protected readonly counts = computed(() => {
    const sent = this.queue().sent;
    return { sent: sent.length, graded: sent.filter((s) => s.grade).length };
  });
  /** the ticket the selected student holds (its questions beside the answer) */
  protected readonly ticket = computed(() => {
    const number = this.selected()?.ticketNumber;
    return number == null ? null : (this.exam()?.tickets.find((t) => t.number === number) ?? null);
  });

  /**
   * The exam and its sittings, watched in Apollo's cache: `sittingChanged` pushes and the grade's own answer land
   * there by the sitting's id; a reconnect re-reads (core/graphql/reconnect.ts), as does a resync.
   */
  ngOnInit(): void {
    const query = this.apollo.watchQuery({
      query: GradingExamDocument,
      variables: { id: this.examId() },
      fetchPolicy: 'cache-and-network',
      nextFetchPolicy: 'cache-first',
    });
    query.valueChanges.pipe(takeUntilDestroyed(this.destroyRef)).subscribe((result) => {
      const data = result.data?.exam as NonNullable<GradingExamQuery['exam']> | null | undefined;
      if (data) {
        const { sittings, ...exam } = data;
        this.exam.set(exam);
        this.show(sittings);
        this.loadError.set(null);
      } else if (!result.loading && !this.exam()) {
        const code = result.error ? errorCode(result.error) : 'NOT_FOUND';
        this.loadError.set(code === 'NOT_FOUND' || code === 'FORBIDDEN' ? 'exam.notFound' : `error.${code}`);
      }
      this.loading.set(result.loading && !data);
    });
    query.subscribeToMore({
      document: GradingSittingChangedDocument,
      variables: { examId: this.examId() },
      updateQuery: (_, { subscriptionData, complete, previousData }) => {
        const sitting = subscriptionData.data?.sittingChanged;
        const exam = complete ? (previousData as GradingExamQuery).exam : null;
        if (!sitting || !exam) return undefined;
        // one the teacher did not have yet (sent after the page opened, or its end passed): into the queue
        return exam.sittings.some((s) => s.id === sitting.id)
          ? undefined
          : { exam: { ...exam, sittings: [...exam.sittings, sitting] } };
      },
      onError: () => undefined,
    });
    this.reread = () => void query.refetch().catch(() => undefined);
    rereadOnResync(this.apollo, this.examId(), this.destroyRef, this.reread);
  }

  /** reads the exam again: after publication the server shows a blind exam's students by name */
  protected reread: () => void = () => undefined;

  /** the sittings as the cache has them now; an answer that has just arrived is announced */
  private show(sittings: readonly GradedSittingFragment[]): void {
    const before = this.rows();
    if (before.size) {
      for (const s of sittings) {
        if (s.answerStatus === 'SUBMITTED' && before.get(s.id)?.answerStatus !== 'SUBMITTED') {
          void this.announcer.announce(this.i18n.t('grading.arrived', { name: s.student.fullName }));
        }
      }
    }
    this.rows.set(new Map(sittings.map((s) => [s.id, s])));
  }

  protected open(sitting: GradedSittingFragment | null): void {
    if (!sitting) return;
    this.selectedId.set(sitting.id);
    this.notice.set(null);
    void this.router.navigate([], { queryParams: { answer: sitting.id }, replaceUrl: true });
  }

  protected async grade(decision: GradeDecision): Promise<void> {
    const sitting = this.selected();
    if (!sitting) return;
    this.busy.set(true);
    this.notice.set(null);
    try {
      const { data } = await firstValueFrom(
        this.apollo.mutate({
          mutation: GradeSittingDocument,
          variables: { sittingId: sitting.id, score: decision.score, comment: decision.comment },
        }),
      );
      const saved = {
        key: 'grading.saved' as MessageKey,
        params: {
          name: sitting.student.fullName,
          score: decision.score,
          letter: data?.gradeSitting.grade?.letter ?? '',
        },
        error: false,
      };
      void this.announcer.announce(this.i18n.t(saved.key, saved.params));
      if (decision.next) this.open(this.next());
      this.notice.set(saved);
    } catch (error) {
      this.notice.set({ key: errorMessageKey(error), error: true });
    } finally {
      this.busy.set(false);
    }
  }

  /** «N»: the next answer without a grade, from anywhere on the page but a text field */
  protected onDocumentKey(event: KeyboardEvent): void {
    const target = event.target as HTMLElement | null;
    if (event.key.toLowerCase() !== 'n' || event.ctrlKey || event.metaKey || event.altKey) return;
    if (target?.closest('input, textarea, select, [contenteditable=true], mat-select')) return;
    const next = this.next();
    if (!next) return;
    event.preventDefault();
    this.open(next);
  }

  protected time(at: string | null): string {
    return at ? clockTime(at, this.clock.timeZone()) : '';
  }
}
