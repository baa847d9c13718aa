import { ChangeDetectionStrategy, Component, computed, inject, input, linkedSignal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTabsModule } from '@angular/material/tabs';
import { Router, RouterLink } from '@angular/router';
import { hasStarted } from '@rules';
import { Apollo } from 'apollo-angular';
import { map } from 'rxjs';
import { errorCode } from '../../../core/graphql/errors';
import { StaffExamDocument } from '../../../core/graphql/generated';
import { ServerClock } from '../../../core/graphql/server-clock';
import { I18n } from '../../../core/i18n/i18n';
import type { MessageKey } from '../../../core/i18n/kk';
import { PublishResults } from '../../../shared/publish-results/publish-results';
import { PageHeader } from '../../../shared/page-header/page-header';
import { ExamFiles } from '../exam-files/exam-files';
import { ExamForm } from '../exam-form/exam-form';
import { Platform } from '../platform/platform';
import { Tickets } from '../tickets/tickets';
import { Retake } from '../retake/retake';

const TABS = ['details', 'content', 'platform'] as const;
type Tab = (typeof TABS)[number];

/** Preparing one exam: its details and enrolment, its tickets (or task files), its platform and recording. */
@Component({
  selector: 'app-exam-setup',
  imports: [
    PageHeader,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    MatTabsModule,
    RouterLink,
    ExamFiles,
    ExamForm,
    Platform,
    Tickets,
    PublishResults,
    Retake,
  ],
  templateUrl: './exam-setup.html',
  styleUrl: './exam-setup.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ExamSetup {
  private readonly apollo = inject(Apollo);
  private readonly router = inject(Router);
  private readonly clock = inject(ServerClock);
  protected readonly i18n = inject(I18n);

  /** the route's :examId; none on /staff/exams/new */
  readonly examId = input<string>();
  /** ?period= for a new exam */
  readonly period = input<string>();
  /** ?tab= details | content | platform */
  readonly tab = input<string>();

  protected readonly selectedTab = linkedSignal(() => Math.max(0, TABS.indexOf((this.tab() ?? 'details') as Tab)));

  protected readonly exam = rxResource({
    params: () => this.examId() || undefined,
    stream: ({ params: id }) =>
      this.apollo
        .query({ query: StaffExamDocument, variables: { id }, fetchPolicy: 'network-only' })
        .pipe(map((r) => r.data?.exam ?? null)),
  });
  protected readonly current = computed(() => (this.exam.hasValue() ? this.exam.value() : null));
  protected readonly started = computed(() => {
    const exam = this.current();
    return !!exam && hasStarted(exam, this.clock.now());
  });
  protected readonly loadError = computed<MessageKey | null>(() => {
    const error = this.exam.error();
    if (!error && (this.exam.isLoading() || this.current() || !this.examId())) return null;
    const code = error ? errorCode(error) : 'NOT_FOUND';
    return code === 'NOT_FOUND' || code === 'FORBIDDEN' ? 'exam.notFound' : `error.${code}`;
  });

  protected reload(): void {
    this.exam.reload();
  }

  protected async saved(id: string): Promise<void> {
    if (this.examId() === id) {
      this.exam.reload();
      return;
    }
    // a new exam: on to its tickets or task files
    await this.router.navigate(['/staff/exams', id], { queryParams: { tab: 'content' } });
  }

  protected periodLabel(n: number): string {
    return this.i18n.t('list.periodN', { n });
  }
}
