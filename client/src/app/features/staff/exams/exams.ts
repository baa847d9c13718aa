import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import { type ExamPhase, examPhase } from '@rules';
import { Apollo } from 'apollo-angular';
import { map } from 'rxjs';
import { errorMessageKey } from '../../../core/graphql/errors';
import { type StaffExamsQuery, StaffExamsDocument } from '../../../core/graphql/generated';
import { ServerClock } from '../../../core/graphql/server-clock';
import { I18n } from '../../../core/i18n/i18n';
import { PeriodFilter, periodChoice } from '../../../shared/period-filter/period-filter';
import { ExamTable } from '../../../shared/exam-table/exam-table';

type StaffExam = StaffExamsQuery['exams'][number];

/** Staff: the exams of a period — each one to set up, or to watch live. */
@Component({
  selector: 'app-staff-exams',
  imports: [MatButtonModule, MatIconModule, MatProgressBarModule, MatTableModule, ExamTable, RouterLink, PeriodFilter],
  templateUrl: './exams.html',
  styleUrl: './exams.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Exams {
  private readonly apollo = inject(Apollo);
  private readonly clock = inject(ServerClock);
  protected readonly i18n = inject(I18n);
  protected readonly columns = ['discipline', 'teacher', 'date', 'format', 'students', 'phase', 'actions'];

  /** ?period= (coming back from an exam) */
  readonly period = input<string>();
  protected readonly choice = periodChoice({ periodId: () => this.period() });

  protected readonly exams = rxResource({
    params: () => this.choice.periodId() || undefined,
    stream: ({ params: periodId }) =>
      this.apollo
        .query({ query: StaffExamsDocument, variables: { periodId }, fetchPolicy: 'network-only' })
        .pipe(map((r) => r.data?.exams ?? [])),
  });

  protected readonly rows = computed(() => {
    const now = this.clock.now();
    return (this.exams.hasValue() ? this.exams.value() : []).map((exam) => ({
      exam,
      phase: examPhase(exam, now),
      online: exam.sittings.filter((s) => s.online).length,
      sent: exam.sittings.filter((s) => s.answerStatus === 'SUBMITTED').length,
    }));
  });
  protected readonly loadError = computed(() => {
    const error = this.exams.error();
    return error ? errorMessageKey(error) : this.choice.error();
  });

  protected phaseLabel(phase: ExamPhase): string {
    return this.i18n.t(`phase.${phase}`);
  }

  protected assignmentLabel(exam: StaffExam): string {
    return this.i18n.t(`assignment.${exam.ticketAssignment ?? 'STUDENT_CHOICE'}`);
  }

  protected retry(): void {
    this.choice.reload();
    this.exams.reload();
  }
}
