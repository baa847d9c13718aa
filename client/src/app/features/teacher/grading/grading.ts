import { LiveAnnouncer } from '@angular/cdk/a11y';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, effect, inject, input, linkedSignal, type OnInit, signal, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router, RouterLink } from '@angular/router';
import { hasEnded } from '@rules';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { Connection } from '../../../core/graphql/connection';
import { errorCode, errorMessageKey } from '../../../core/graphql/errors';
import { rereadOnResync } from '../../../core/graphql/exam-resync';
import {
  GradeSittingDocument, type GradedSittingFragment, GradingExamDocument, type GradingExamQuery, GradingSittingChangedDocument,
} from '../../../core/graphql/generated';
import { ServerClock } from '../../../core/graphql/server-clock';
import { I18n } from '../../../core/i18n/i18n';
import type { MessageKey } from '../../../core/i18n/kk';
import { FileList } from '../../../shared/file-list/file-list';
import { clockTime } from '../../../shared/zoned-time/zoned-time';
import { type GradeDecision, GradingForm } from '../grading-form/grading-form';

type GradingExam = Omit<NonNullable<GradingExamQuery['exam']>, 'sittings'>;

/** The answers a teacher grades, in the order they were sent; after the end, those who sent nothing too. */
export function gradingQueue(sittings: readonly GradedSittingFragment[], now: number): { sent: GradedSittingFragment[]; unsent: GradedSittingFragment[] } {
  const sent = sittings.filter((s) => s.answerStatus === 'SUBMITTED')
    .sort((a, b) => (a.submittedAt ?? '').localeCompare(b.submittedAt ?? '') || a.student.fullName.localeCompare(b.student.fullName));
  // s.endsAt is the student's own end (extra time included)
  const unsent = sittings.filter((s) => s.answerStatus !== 'SUBMITTED' && hasEnded(s, null, now))
    .sort((a, b) => a.student.fullName.localeCompare(b.student.fullName));
  return { sent, unsent };
}

/** The next answer without a grade after `currentId` (wrapping round), or null when all are graded. */
export function nextUngraded(queue: readonly GradedSittingFragment[], currentId: string | null): GradedSittingFragment | null {
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
  imports: [MatButtonModule, MatIconModule, MatProgressBarModule, RouterLink, FileList, GradingForm],
  templateUrl: './grading.html',
  styleUrl: './grading.css',
  host: { '(document:keydown)': 'onDocumentKey($event)' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Grading implements OnInit {
  private readonly apollo = inject(Apollo);
  private readonly router = inject(Router);
  private readonly clock = inject(ServerClock);
  private readonly connection = inject(Connection);
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
  protected readonly notice = signal<{ key: MessageKey; params?: Record<string, string | number>; error: boolean } | null>(null);

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

  constructor() {
    let seen = this.connection.reconnects();
    effect(() => {
      const reconnects = this.connection.reconnects();
      if (reconnects === seen) return;
      seen = reconnects;
      untracked(() => void this.load());
    });
  }

  ngOnInit(): void {
    void this.load();
    this.apollo.subscribe({ query: GradingSittingChangedDocument, variables: { examId: this.examId() } })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: ({ data }) => {
          const sitting = data?.sittingChanged;
          if (!sitting) return;
          const arrived = sitting.answerStatus === 'SUBMITTED' && this.rows().get(sitting.id)?.answerStatus !== 'SUBMITTED';
          this.merge(sitting);
          if (arrived) void this.announcer.announce(this.i18n.t('grading.arrived', { name: sitting.student.fullName }));
        },
        error: () => undefined,
      });
    rereadOnResync(this.apollo, this.examId(), this.destroyRef, () => void this.load());
  }

  private async load(): Promise<void> {
    try {
      const { data, error } = await firstValueFrom(this.apollo.query({ query: GradingExamDocument, variables: { id: this.examId() }, fetchPolicy: 'network-only' }));
      if (error) throw error;
      if (!data?.exam) {
        this.loadError.set('exam.notFound');
        return;
      }
      const { sittings, ...exam } = data.exam;
      this.exam.set(exam);
      this.rows.set(new Map(sittings.map((s) => [s.id, s])));
      this.loadError.set(null);
    } catch (error) {
      const code = errorCode(error);
      if (!this.exam()) this.loadError.set(code === 'NOT_FOUND' || code === 'FORBIDDEN' ? 'exam.notFound' : `error.${code}`);
    } finally {
      this.loading.set(false);
    }
  }

  private merge(sitting: GradedSittingFragment): void {
    this.rows.update((rows) => new Map(rows).set(sitting.id, sitting));
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
      const { data } = await firstValueFrom(this.apollo.mutate({
        mutation: GradeSittingDocument, variables: { sittingId: sitting.id, score: decision.score, comment: decision.comment },
      }));
      if (data) this.merge(data.gradeSitting);
      const saved = { key: 'grading.saved' as MessageKey, params: { name: sitting.student.fullName, score: decision.score, letter: data?.gradeSitting.grade?.letter ?? '' }, error: false };
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
