import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { Apollo } from 'apollo-angular';
import { map } from 'rxjs';
import { errorMessageKey } from '../../../core/graphql/errors';
import { MyJournalDocument } from '../../../core/graphql/generated';
import { I18n } from '../../../core/i18n/i18n';
import { SendMark } from '../../../shared/send-mark/send-mark';
import { PeriodFilter, periodChoice } from '../../../shared/period-filter/period-filter';

/** R7.7: the student's own journal — the grades of their exams, by year and period. */
@Component({
  selector: 'app-my-journal',
  imports: [MatProgressBarModule, RouterLink, PeriodFilter, SendMark],
  template: `
    <h1 class="title">{{ i18n.t('journal.myTitle') }}</h1>
    <section class="filters" [attr.aria-label]="i18n.t('list.filters')">
      <app-period-filter [choice]="choice" />
    </section>
    @if (rows.isLoading() || choice.loading()) {
      <mat-progress-bar mode="indeterminate" [attr.aria-label]="i18n.t('app.loading')" />
    }
    @if (loadError(); as key) {
      <p class="error" role="alert">{{ i18n.t(key) }}</p>
    } @else if (rows.hasValue() && !list().length) {
      <p class="empty">{{ i18n.t('journal.myEmpty') }}</p>
    }
    @if (list().length) {
      <div class="table-wrap">
        <table class="journal stack-table" data-testid="my-journal">
          <thead>
            <tr>
              <th scope="col">{{ i18n.t('list.discipline') }}</th>
              <th scope="col">{{ i18n.t('list.date') }}</th>
              <th scope="col">{{ i18n.t('list.teacher') }}</th>
              <th scope="col">{{ i18n.t('exam.grade') }}</th>
            </tr>
          </thead>
          <tbody>
            @for (row of list(); track row.exam.id) {
              <tr [attr.data-discipline]="row.discipline.code">
                <th scope="row">
                  <a [routerLink]="['/attestation', row.exam.id]">{{ row.discipline.title }}</a>
                  <span class="sub"
                    >{{ row.discipline.code }} · {{ i18n.t('list.periodN', { n: row.period.number }) }}</span
                  >
                  @if (row.exam.retakeOf; as original) {
                    <span class="sub" data-testid="retake-of">{{
                      i18n.t('retakes.retakeOf', { date: i18n.date(original.startsAt) })
                    }}</span>
                  }
                </th>
                <td [attr.data-label]="i18n.t('list.date')">{{ i18n.date(row.exam.startsAt) }}</td>
                <td [attr.data-label]="i18n.t('list.teacher')">{{ row.exam.teacher.fullName }}</td>
                <td data-testid="my-grade" [attr.data-label]="i18n.t('exam.grade')">
                  @if (row.grade; as g) {
                    {{
                      i18n.t('exam.gradeValue', {
                        score: i18n.number(g.score),
                        letter: g.letter,
                        gpa: i18n.number(g.gpa, { minimumFractionDigits: 2 }),
                      })
                    }}
                  } @else if (row.exam.resultsRelease === 'ON_PUBLICATION' && !row.exam.resultsPublishedAt) {
                    <span class="muted" data-testid="results-pending">{{ i18n.t('pub.notYet') }}</span>
                  } @else {
                    <span class="muted">{{ i18n.t('journal.notGraded') }}</span>
                  }
                  <app-send-mark [mode]="row.sendMode" />
                  @if (row.attempt > 1 || retaken().has(row.exam.id)) {
                    <span class="sub" data-testid="my-counts">{{
                      i18n.t(row.counts ? 'retakes.counts' : 'retakes.notCounted')
                    }}</span>
                  }
                </td>
              </tr>
            }
          </tbody>
        </table>
      </div>
    }
  `,
  styles: `
    .title {
      font: var(--mat-sys-headline-small);
      margin: 0 0 16px;
    }
    .filters {
      display: flex;
      flex-wrap: wrap;
      gap: 16px;
    }
    .table-wrap {
      overflow-x: auto;
    }
    .journal {
      width: 100%;
      border-collapse: collapse;
    }
    .journal th,
    .journal td {
      text-align: start;
      padding: 10px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
      font: var(--mat-sys-body-medium);
    }
    .journal thead th {
      font: var(--mat-sys-label-large);
      color: var(--mat-sys-on-surface-variant);
    }
    .sub {
      display: block;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
    .muted,
    .empty {
      color: var(--mat-sys-on-surface-variant);
    }
    .error {
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MyJournal {
  private readonly apollo = inject(Apollo);
  protected readonly i18n = inject(I18n);
  protected readonly choice = periodChoice({ allowAll: true });

  protected readonly rows = rxResource({
    params: () =>
      this.choice.yearId()
        ? { academicYearId: this.choice.yearId(), periodId: this.choice.periodId() || null }
        : undefined,
    stream: ({ params }) =>
      this.apollo
        .query({ query: MyJournalDocument, variables: params, fetchPolicy: 'network-only' })
        .pipe(map((r) => r.data?.myJournal ?? [])),
  });
  protected readonly list = computed(() => (this.rows.hasValue() ? this.rows.value() : []));
  /** E6: the exams the student has a retake of, where it is worth saying which attempt counts */
  protected readonly retaken = computed(
    () => new Set(this.list().flatMap((row) => (row.exam.retakeOf ? [row.exam.retakeOf.id] : []))),
  );
  protected readonly loadError = computed(() =>
    this.rows.error() ? errorMessageKey(this.rows.error()) : this.choice.error(),
  );
}
