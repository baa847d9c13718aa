import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { SCHEDULE_COLUMNS } from '@rules';
import { CodedError, errorMessageKey } from '../../../core/graphql/errors';
import { I18n } from '../../../core/i18n/i18n';
import type { MessageKey } from '../../../core/i18n/kk';
import {
  ScheduleImportApi,
  ScheduleRefusal,
  type ScheduleProblem,
  type ScheduleReport,
  type ScheduleRowResult,
} from './schedule-import-api';

/** The template staff start from: the header and one example exam (the README's example file has more). */
export const SCHEDULE_TEMPLATE =
  `${SCHEDULE_COLUMNS.join(',')}\r\n` +
  'HIS-101,teacher,2026-2027/1,2026-12-21,10:00,12:00,TICKETS,STUDENT_CHOICE,student01;student02,EXAM-2026-001\r\n';

const FILE_REASONS = [
  'NOT_A_SCHEDULE',
  'TOO_LARGE',
  'UNPACKS_TOO_LARGE',
  'TOO_MANY_ROWS',
  'MISSING_COLUMNS',
  'EMPTY',
  'UNREADABLE',
];

/** Staff: bring in an examination period's exams from a CSV or XLSX file, checked (dry run) before anything is written. */
@Component({
  selector: 'app-schedule-import',
  imports: [MatButtonModule, MatProgressBarModule, RouterLink],
  templateUrl: './schedule-import.html',
  styleUrl: './schedule-import.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ScheduleImport {
  private readonly api = inject(ScheduleImportApi);
  protected readonly i18n = inject(I18n);

  protected readonly templateHref = `data:text/csv;charset=utf-8,${encodeURIComponent(SCHEDULE_TEMPLATE)}`;
  protected readonly file = signal<File | null>(null);
  protected readonly busy = signal(false);
  /** the dry run of the chosen file, or the import's report once it is done */
  protected readonly report = signal<ScheduleReport | null>(null);
  protected readonly refusal = signal<string | null>(null);
  protected readonly problems = computed(() => this.report()?.problems ?? []);
  protected readonly importable = computed(() => {
    const report = this.report();
    return !!report && report.dryRun && report.problems.length === 0 && !this.busy();
  });

  protected async choose(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0] ?? null;
    input.value = ''; // choosing the same (fixed) file again is a new choice
    if (!file) return;
    this.file.set(file);
    await this.run(file, true);
  }

  protected async import(): Promise<void> {
    const file = this.file();
    if (file) await this.run(file, false);
  }

  private async run(file: File, dryRun: boolean): Promise<void> {
    this.busy.set(true);
    this.refusal.set(null);
    if (dryRun) this.report.set(null);
    try {
      this.report.set(await this.api.send(file, dryRun));
    } catch (error) {
      const refusal =
        error instanceof ScheduleRefusal ? error : new ScheduleRefusal('INTERNAL_SERVER_ERROR', null, {}, []);
      if (refusal.problems.length) {
        // the schedule changed since the dry run (someone else's change): show the rows' problems as a dry run would
        const report = this.report();
        this.report.set(report && { ...report, dryRun: true, problems: refusal.problems });
      }
      this.refusal.set(this.refusalText(refusal));
    } finally {
      this.busy.set(false);
    }
  }

  private refusalText(refusal: ScheduleRefusal): string {
    if (refusal.code === 'IMPORT_FILE_INVALID' && refusal.reason && FILE_REASONS.includes(refusal.reason))
      return this.i18n.t(`scheduleImport.file.${refusal.reason}` as MessageKey, refusal.params);
    return this.i18n.t(errorMessageKey(new CodedError(refusal.code)));
  }

  protected problemsOf(row: ScheduleRowResult): readonly ScheduleProblem[] {
    return this.problems().filter((p) => p.row === row.row);
  }

  /** a problem in the reader's language, from its code and params (the server's English `message` is for other systems) */
  protected problemText(problem: ScheduleProblem): string {
    const params: Record<string, string> = Object.fromEntries(problem.params.map((p) => [p.name, p.value]));
    if (problem.column) params['column'] = this.i18n.t(`scheduleImport.column.${problem.column}` as MessageKey);
    // the values a cell may hold are the file's own words, the same in every language
    if (problem.code === 'BAD_FORMAT') params['allowed'] = 'TICKETS, TASK';
    if (problem.code === 'BAD_TICKET_MODE') params['allowed'] = 'STUDENT_CHOICE, RANDOM, STAFF';
    return this.i18n.t(`scheduleImport.problem.${problem.code}` as MessageKey, params);
  }

  protected outcomeLabel(row: ScheduleRowResult): string {
    return this.i18n.t(`scheduleImport.outcome.${row.outcome}` as MessageKey);
  }
}
