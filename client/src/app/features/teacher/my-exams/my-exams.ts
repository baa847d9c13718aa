import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import { Apollo } from 'apollo-angular';
import { map } from 'rxjs';
import { errorMessageKey } from '../../../core/graphql/errors';
import { TeacherExamsDocument } from '../../../core/graphql/generated';
import { I18n } from '../../../core/i18n/i18n';
import { PeriodFilter, periodChoice } from '../../../shared/period-filter/period-filter';
import { ExamTable } from '../../../shared/exam-table/exam-table';

/** The teacher's own exams of a period, with how many answers are sent and how many still wait for a grade. */
@Component({
  selector: 'app-my-exams',
  imports: [MatButtonModule, MatProgressBarModule, MatTableModule, ExamTable, PeriodFilter],
  template: `
    <h1 class="title">{{ i18n.t('myExams.title') }}</h1>
    <section class="filters" [attr.aria-label]="i18n.t('list.filters')">
      <app-period-filter [choice]="choice" />
    </section>
    @if (exams.isLoading() || choice.loading()) {
      <mat-progress-bar mode="indeterminate" [attr.aria-label]="i18n.t('app.loading')" />
    }
    @if (loadError(); as key) {
      <p class="error" role="alert">{{ i18n.t(key) }}</p>
    } @else if (exams.hasValue() && rows().length === 0) {
      <p class="empty">{{ i18n.t('myExams.empty') }}</p>
    }
    @if (rows().length) {
      <app-exam-table [rows]="rows()" [columns]="columns" link="/teaching/exams" testId="teacher-exams">
        <ng-container matColumnDef="date">
          <th mat-header-cell *matHeaderCellDef scope="col">{{ i18n.t('list.date') }}</th>
          <td mat-cell *matCellDef="let row" [attr.data-label]="i18n.t('list.date')" class="nowrap">
            {{ i18n.date(row.exam.startsAt) }}, {{ i18n.time(row.exam.startsAt) }}–{{ i18n.time(row.exam.endsAt) }}
          </td>
        </ng-container>
        <ng-container matColumnDef="students">
          <th mat-header-cell *matHeaderCellDef scope="col">{{ i18n.t('staffExams.students') }}</th>
          <td mat-cell *matCellDef="let row" [attr.data-label]="i18n.t('staffExams.students')">
            {{ i18n.t('staffExams.enrolledN', { n: row.exam.sittings.length }) }}
          </td>
        </ng-container>
        <ng-container matColumnDef="answers">
          <th mat-header-cell *matHeaderCellDef scope="col">{{ i18n.t('myExams.answers') }}</th>
          <td mat-cell *matCellDef="let row" [attr.data-label]="i18n.t('myExams.answers')">
            {{ i18n.t('grading.gradedOf', { graded: row.graded, sent: row.sent }) }}
            @if (row.waiting) {
              <span class="waiting">{{ i18n.t('myExams.waitingN', { n: row.waiting }) }}</span>
            }
          </td>
        </ng-container>
      </app-exam-table>
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
    .waiting {
      display: inline-block;
      margin-inline-start: 8px;
      padding: 2px 8px;
      border-radius: 10px;
      background: var(--mat-sys-tertiary-container);
      color: var(--mat-sys-on-tertiary-container);
      font: var(--mat-sys-label-medium);
    }
    .error {
      color: var(--mat-sys-error);
    }
    .empty {
      color: var(--mat-sys-on-surface-variant);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MyExams {
  private readonly apollo = inject(Apollo);
  protected readonly i18n = inject(I18n);
  protected readonly columns = ['discipline', 'date', 'students', 'answers'];
  protected readonly choice = periodChoice();

  protected readonly exams = rxResource({
    params: () => this.choice.periodId() || undefined,
    stream: ({ params: periodId }) =>
      this.apollo
        .query({ query: TeacherExamsDocument, variables: { periodId }, fetchPolicy: 'network-only' })
        .pipe(map((r) => r.data?.exams ?? [])),
  });
  protected readonly rows = computed(() => {
    return (this.exams.hasValue() ? this.exams.value() : []).map((exam) => {
      const sent = exam.sittings.filter((s) => s.answerStatus === 'SUBMITTED');
      const graded = sent.filter((s) => s.grade).length;
      return { exam, sent: sent.length, graded, waiting: sent.length - graded };
    });
  });
  protected readonly loadError = computed(() =>
    this.exams.error() ? errorMessageKey(this.exams.error()) : this.choice.error(),
  );
}
