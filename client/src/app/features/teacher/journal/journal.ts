import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, linkedSignal, signal } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import { rxResource, takeUntilDestroyed, toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { Apollo } from 'apollo-angular';
import { debounceTime, distinctUntilChanged, firstValueFrom, map } from 'rxjs';
import { Session } from '../../../core/auth/session';
import { errorMessageKey } from '../../../core/graphql/errors';
import {
  CorrectGradeDocument,
  type GradeChangeKind,
  JournalDisciplinesDocument,
  JournalDocument,
  type JournalRowFieldsFragment,
} from '../../../core/graphql/generated';
import { LoadMore, PagedList } from '../../../shared/paged-list/paged-list';
import type { MessageKey } from '../../../core/i18n/kk';
import { type CorrectGradeAnswer, CorrectGradeDialog, type CorrectGradeQuestion } from './correct-grade-dialog';
import { ServerClock } from '../../../core/graphql/server-clock';
import { I18n } from '../../../core/i18n/i18n';
import { downloadCsv, type ExportTable, fileName } from '../../../shared/csv/csv';
import { XlsxExport } from '../../../shared/csv/xlsx';
import { PeriodFilter, periodChoice } from '../../../shared/period-filter/period-filter';
import { SendMark } from '../../../shared/send-mark/send-mark';
import { journalExport } from './journal-export';
import {
  type JournalCell,
  type JournalColumn,
  type JournalGrade,
  type JournalLine,
  journalTable,
} from './journal-table';

/** rows one page of the journal reads */
export const JOURNAL_PAGE = 100;
/** how long typing must pause before the journal searches */
export const JOURNAL_SEARCH_DEBOUNCE_MS = 300;

/** R7.7: the journal — a discipline's grades in a period, students × exams, with letters; exported as CSV or XLSX. */
@Component({
  selector: 'app-journal',
  imports: [
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    PeriodFilter,
    SendMark,
    LoadMore,
  ],
  templateUrl: './journal.html',
  styleUrl: './journal.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Journal {
  private readonly apollo = inject(Apollo);
  private readonly clock = inject(ServerClock);
  private readonly session = inject(Session);
  private readonly dialog = inject(MatDialog);
  protected readonly i18n = inject(I18n);
  protected readonly choice = periodChoice();
  protected readonly xlsx = new XlsxExport();

  /** the disciplines with exams in the period: a teacher's own, or all of them for staff */
  protected readonly disciplines = rxResource({
    params: () => this.choice.periodId() || undefined,
    stream: ({ params: periodId }) =>
      this.apollo
        .query({ query: JournalDisciplinesDocument, variables: { periodId }, fetchPolicy: 'network-only' })
        .pipe(
          map((r) =>
            [...new Map((r.data?.exams ?? []).map((e) => [e.discipline.id, e.discipline])).values()].sort((a, b) =>
              a.title.localeCompare(b.title),
            ),
          ),
        ),
  });
  protected readonly disciplineList = computed(() => (this.disciplines.hasValue() ? this.disciplines.value() : []));
  protected readonly disciplineId = linkedSignal(() => this.disciplineList()[0]?.id ?? '');
  protected readonly discipline = computed(() => this.disciplineList().find((d) => d.id === this.disciplineId()));

  /** the search box as typed; the list follows it once typing pauses */
  protected readonly search = signal('');
  private readonly searched = toSignal(
    toObservable(this.search).pipe(
      map((text) => text.trim()),
      debounceTime(JOURNAL_SEARCH_DEBOUNCE_MS),
      distinctUntilChanged(),
    ),
    { initialValue: '' },
  );
  protected readonly asked = computed(() =>
    this.choice.periodId() && this.disciplineId()
      ? { periodId: this.choice.periodId(), disciplineId: this.disciplineId(), search: this.searched() || null }
      : null,
  );
  /** the journal's rows a page at a time (issue 13), by student then exam */
  protected readonly rows = new PagedList<JournalRowFieldsFragment>(async (after) => {
    const asked = this.asked();
    if (!asked) return null;
    const { data } = await firstValueFrom(
      this.apollo.query({
        query: JournalDocument,
        variables: { ...asked, first: JOURNAL_PAGE, after },
        fetchPolicy: 'network-only',
      }),
    );
    return data?.journalConnection;
  });
  protected readonly table = computed(() => journalTable(this.rows.items()));
  /** issue 12: the grade whose history is shown (a student and an exam column) */
  private readonly selected = signal<{ studentId: string; column: number } | null>(null);
  protected readonly selectedCell = computed(() => {
    const at = this.selected();
    const line = at && this.table().lines.find((l) => l.student.id === at.studentId);
    const cell = line?.cells[at!.column];
    return line && cell ? { ...cell, student: line.student, grade: line.grades[at!.column] ?? null } : null;
  });
  protected readonly isStaff = computed(() => this.session.user()?.role === 'STAFF');
  protected readonly notice = signal<{ key: MessageKey; error: boolean } | null>(null);
  protected readonly loadError = computed(() => {
    const error = this.rows.error() ?? this.disciplines.error();
    return error ? errorMessageKey(error) : this.choice.error();
  });

  constructor() {
    toObservable(this.asked)
      .pipe(takeUntilDestroyed(inject(DestroyRef)))
      .subscribe(() => void this.rows.reset());
  }

  protected isSelected(studentId: string, column: number): boolean {
    const at = this.selected();
    return at?.studentId === studentId && at.column === column;
  }

  protected select(studentId: string, column: number): void {
    this.notice.set(null);
    this.selected.set(this.isSelected(studentId, column) ? null : { studentId, column });
  }

  protected kindLabel(kind: GradeChangeKind): string {
    return this.i18n.t(`pub.kind.${kind}`);
  }

  /** staff: a published grade changed with a reason (the server keeps it in the history and the trail) */
  protected async correct(cell: JournalCell & { student: JournalLine['student']; grade: JournalGrade | null }) {
    if (!cell.grade) return;
    const answer = await firstValueFrom(
      this.dialog
        .open<CorrectGradeDialog, CorrectGradeQuestion, CorrectGradeAnswer>(CorrectGradeDialog, {
          data: { studentName: cell.student.fullName, score: cell.grade.score },
          maxWidth: '520px',
          width: '100%',
        })
        .afterClosed(),
    );
    if (!answer) return;
    try {
      await firstValueFrom(
        this.apollo.mutate({
          mutation: CorrectGradeDocument,
          variables: { sittingId: cell.sittingId, score: answer.score, reason: answer.reason },
        }),
      );
      void this.rows.reset();
      this.notice.set({ key: 'pub.corrected', error: false });
    } catch (error) {
      this.notice.set({ key: errorMessageKey(error), error: true });
    }
  }

  /** an exam column's name on a phone, where each grade stands on its own line */
  protected columnLabel(column: JournalColumn): string {
    const retake = column.attempt > 1 ? `${this.i18n.t('retakes.attempt')} ` : '';
    return `${retake}${this.i18n.date(column.startsAt)}, ${this.i18n.time(column.startsAt)} · ${column.teacher}`;
  }

  protected gpa(grade: JournalGrade): string {
    return this.i18n.number(grade.gpa, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  /** every row of the journal (the pages not shown yet included), as a table */
  private async exportTable(): Promise<ExportTable | undefined> {
    const discipline = this.discipline();
    const period = this.choice.period();
    if (!discipline || !period) return undefined;
    const name = fileName(
      this.i18n.t('journal.fileName'),
      discipline.code,
      this.choice.year()?.title ?? '',
      this.i18n.t('list.periodN', { n: period.number }),
    );
    return journalExport(this.i18n, this.clock.timeZone(), name, journalTable(await this.rows.all()));
  }

  protected async exportCsv(): Promise<void> {
    const table = await this.exportTable();
    if (table) downloadCsv(table, this.i18n.lang());
  }

  protected exportXlsx(): void {
    void this.xlsx.download(this.exportTable(), this.i18n.lang());
  }
}
