import { ChangeDetectionStrategy, Component, computed, inject, linkedSignal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import { appealWindowOpen } from '@rules';
import { Apollo } from 'apollo-angular';
import { map } from 'rxjs';
import { errorMessageKey } from '../../../core/graphql/errors';
import { AcademicYearsDocument, MyExamsDocument } from '../../../core/graphql/generated';
import { ServerClock } from '../../../core/graphql/server-clock';
import { I18n } from '../../../core/i18n/i18n';
import { ExamTable } from '../../../shared/exam-table/exam-table';
import { currentPeriodId, currentYear, dayIn, type ExamState, examState } from './exam-state';
import { appealStatusKey } from '../../../shared/appeal-status/appeal-status';

const STATE_ICONS: Record<ExamState, string> = {
  upcoming: 'schedule',
  open: 'play',
  sent: 'done',
  graded: 'grade',
  ended: 'lock',
};

/** R1.2–R1.4: «Онлайн аралық аттестаттаудан өту» — the filters and the student's online exams. */
@Component({
  selector: 'app-exam-list',
  imports: [
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatProgressBarModule,
    MatSelectModule,
    MatTableModule,
    ExamTable,
    RouterLink,
  ],
  templateUrl: './exam-list.html',
  styleUrl: './exam-list.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ExamList {
  private readonly apollo = inject(Apollo);
  private readonly clock = inject(ServerClock);
  protected readonly i18n = inject(I18n);
  protected readonly columns = ['discipline', 'teacher', 'date', 'time', 'state'];

  private readonly today = computed(() => dayIn(this.clock.timeZone(), this.clock.now()));

  protected readonly years = rxResource({
    stream: () => this.apollo.query({ query: AcademicYearsDocument }).pipe(map((r) => r.data?.academicYears ?? [])),
  });

  /** the years once loaded (a resource in error throws on value(), so read it through hasValue()) */
  protected readonly yearList = computed(() => (this.years.hasValue() ? this.years.value() : []));

  /** defaults: the current academic year and period (R1.2) */
  protected readonly yearId = linkedSignal(() => currentYear(this.yearList(), this.today())?.id ?? '');
  protected readonly year = computed(() => this.yearList().find((y) => y.id === this.yearId()));
  protected readonly periodId = linkedSignal(() => currentPeriodId(this.year(), this.today()));

  protected readonly exams = rxResource({
    params: () => (this.yearId() ? { academicYearId: this.yearId(), periodId: this.periodId() || null } : undefined),
    stream: ({ params }) =>
      this.apollo
        .query({ query: MyExamsDocument, variables: params, fetchPolicy: 'network-only' })
        .pipe(map((r) => r.data?.myExams ?? [])),
  });

  protected readonly rows = computed(() => {
    const now = this.clock.now();
    return (this.exams.hasValue() ? this.exams.value() : []).map((exam) => ({ exam, state: examState(exam, now) }));
  });

  protected readonly loadError = computed(() => {
    const error = this.exams.error() ?? this.years.error();
    return error ? errorMessageKey(error) : null;
  });

  protected stateIcon(state: ExamState): string {
    return STATE_ICONS[state];
  }

  protected stateLabel(state: ExamState): string {
    return this.i18n.t(`state.${state}`);
  }

  protected periodLabel(n: number): string {
    return this.i18n.t('list.periodN', { n });
  }

  /** issue 12: the appeal window is open on the server's clock */
  protected appealOpen(deadline: string | null | undefined): boolean {
    return !!deadline && appealWindowOpen(deadline, this.clock.now());
  }

  protected readonly appealStatusKey = appealStatusKey;

  protected retry(): void {
    this.years.reload();
    this.exams.reload();
  }
}
