import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  input,
  type OnInit,
  output,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { hasEnded } from '@rules';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { errorMessageKey } from '../../core/graphql/errors';
import { PublishResultsDocument, PublishSummaryDocument, type PublishSummaryQuery } from '../../core/graphql/generated';
import { ServerClock } from '../../core/graphql/server-clock';
import { I18n } from '../../core/i18n/i18n';
import type { MessageKey } from '../../core/i18n/kk';
import { Confirmation } from '../confirm-dialog/confirm-dialog';

type Summary = NonNullable<PublishSummaryQuery['exam']>;

/** What publishing would do now: drafts to publish, sent answers still ungraded, whether every student's end passed. */
export function publicationCounts(exam: Summary, now: number) {
  const sittings = exam.sittings;
  return {
    published: sittings.filter((s) => s.gradePublishedAt).length,
    drafts: sittings.filter((s) => s.grade && !s.gradePublishedAt).length,
    ungraded: sittings.filter((s) => s.answerStatus === 'SUBMITTED' && !s.grade).length,
    none: sittings.filter((s) => !s.grade).length,
    ended: sittings.every((s) => hasEnded(s, null, now)),
  };
}

/**
 * issue 12: an ON_PUBLICATION exam's results, published together by its teacher or staff after a confirmation that
 * says how many grades go out. The server refuses what is not allowed yet; the button explains it beforehand.
 */
@Component({
  selector: 'app-publish-results',
  imports: [MatButtonModule],
  template: `
    @if (summary(); as exam) {
      @if (exam.resultsRelease === 'ON_PUBLICATION') {
        <div class="publish" data-testid="publish-results">
          @if (exam.resultsPublishedAt) {
            <p class="state published" data-testid="results-published">
              {{ i18n.t('pub.publishedAt', { time: i18n.dateTime(exam.resultsPublishedAt) }) }}
            </p>
          } @else {
            <p class="state">
              {{ i18n.t('pub.notYet') }} ·
              {{ i18n.t('pub.counts', { published: counts()!.published, drafts: counts()!.drafts }) }}
            </p>
            @if (!counts()!.ended) {
              <p class="hint">{{ i18n.t('pub.notEnded') }}</p>
            } @else if (counts()!.ungraded) {
              <p class="hint">{{ i18n.t('pub.ungradedLeft', { n: counts()!.ungraded }) }}</p>
            }
            <button
              mat-flat-button
              type="button"
              [disabled]="busy() || !counts()!.ended || counts()!.ungraded > 0"
              (click)="publish()"
              data-testid="publish-button"
            >
              {{ i18n.t('pub.publish') }}
            </button>
          }
          @if (notice(); as n) {
            <p [class.error]="n.error" [attr.role]="n.error ? 'alert' : 'status'" data-testid="publish-notice">
              {{ i18n.t(n.key, n.params) }}
            </p>
          }
        </div>
      }
    }
  `,
  styles: `
    .publish {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem 1rem;
      margin: 0.5rem 0;
    }
    .state,
    .hint {
      margin: 0;
    }
    .hint {
      color: var(--mat-sys-on-surface-variant);
    }
    .published {
      font-weight: 500;
    }
    .error {
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PublishResults implements OnInit {
  private readonly apollo = inject(Apollo);
  private readonly clock = inject(ServerClock);
  private readonly confirmation = inject(Confirmation);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly i18n = inject(I18n);

  readonly examId = input.required<string>();
  /** the results are out: a page that showed codes under blind marking re-reads its sittings, now with names */
  readonly published = output<void>();

  protected readonly summary = signal<Summary | null>(null);
  protected readonly counts = computed(() => {
    const exam = this.summary();
    return exam ? publicationCounts(exam, this.clock.now()) : null;
  });
  protected readonly busy = signal(false);
  protected readonly notice = signal<{
    key: MessageKey;
    params?: Record<string, string | number>;
    error: boolean;
  } | null>(null);

  /** watched in Apollo's cache: the grading page's pushes and grades land on the same sittings */
  ngOnInit(): void {
    this.apollo
      .watchQuery({ query: PublishSummaryDocument, variables: { id: this.examId() }, fetchPolicy: 'cache-and-network' })
      .valueChanges.pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe((result) => {
        const exam = result.data?.exam as Summary | null | undefined;
        if (exam) this.summary.set(exam);
      });
  }

  protected async publish(): Promise<void> {
    const counts = this.counts();
    if (!counts || this.busy()) return;
    const yes = await this.confirmation.ask({
      title: this.i18n.t('pub.confirmTitle'),
      text: this.i18n.t('pub.confirmText', { graded: counts.drafts, none: counts.none }),
      confirm: this.i18n.t('pub.publish'),
    });
    if (!yes) return;
    this.busy.set(true);
    this.notice.set(null);
    try {
      await firstValueFrom(
        this.apollo.mutate({ mutation: PublishResultsDocument, variables: { examId: this.examId() } }),
      );
      this.notice.set({ key: 'pub.done', params: { n: counts.drafts }, error: false });
      this.published.emit();
    } catch (error) {
      this.notice.set({ key: errorMessageKey(error), error: true });
    } finally {
      this.busy.set(false);
    }
  }
}
