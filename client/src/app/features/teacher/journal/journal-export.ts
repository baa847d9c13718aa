import type { I18n } from '../../../core/i18n/i18n';
import type { ExportCell, ExportColumn, ExportTable } from '../../../shared/csv/csv';
import type { JournalColumn, JournalLine } from './journal-table';

/**
 * The journal as an export: student and login, then score, letter and GPA points for each exam. Each exam's
 * headers carry its date AND time on the university's clocks, so two exams on one day stay two distinct columns.
 */
export function journalExport(
  i18n: I18n,
  timeZone: string,
  name: string,
  table: { readonly columns: readonly JournalColumn[]; readonly lines: readonly JournalLine[] },
): ExportTable {
  const columns: ExportColumn[] = [{ header: i18n.t('trail.student') }, { header: i18n.t('auth.login') }];
  // E6: with a retake among the exams, each exam's attempt and whether it counts (the retake's once graded)
  const retakes = table.columns.some((c) => c.attempt > 1);
  for (const c of table.columns) {
    const date = `${c.attempt > 1 ? `${i18n.t('retakes.attempt')} ` : ''}${i18n.date(c.startsAt)}, ${i18n.time(c.startsAt)}`;
    columns.push(
      { header: i18n.t('journal.csvScore', { date }) },
      { header: i18n.t('journal.csvLetter', { date }) },
      { header: i18n.t('journal.csvGpa', { date }), decimals: 2 },
    );
    if (retakes)
      columns.push(
        { header: i18n.t('retakes.csvAttempt', { date }) },
        { header: i18n.t('retakes.csvCounts', { date }) },
      );
  }
  columns.push({ header: i18n.t('journal.csvNote') });
  const rows = table.lines.map((line): ExportCell[] => [
    line.student.fullName,
    line.student.login,
    ...line.grades.flatMap((g, i): ExportCell[] => [
      ...(g ? [g.score, g.letter, g.gpa] : [g === null ? i18n.t('journal.notGraded') : null, null, null]),
      ...(retakes ? attemptCells(i18n, table.columns[i], g === undefined ? null : line.counts[i]) : []),
    ]),
    sendNote(i18n, table.columns, line.sendModes),
  ]);
  return { name, sheet: i18n.t('journal.fileName'), timeZone, columns, rows };
}

/** issue 11: the note of a student's row: which answers were sent for them at the end, or received within the grace */
function sendNote(i18n: I18n, columns: readonly JournalColumn[], modes: JournalLine['sendModes']): string {
  return modes
    .map((mode, i) =>
      mode === 'AUTOMATIC' || mode === 'LATE_WITHIN_GRACE'
        ? `${i18n.date(columns[i].startsAt)}, ${i18n.time(columns[i].startsAt)}: ${i18n.t(`sendMark.${mode}`)}`
        : '',
    )
    .filter(Boolean)
    .join('; ');
}

/** E6: the attempt (1, 2) and whether it counts, for an exam the student sat; empty cells otherwise */
function attemptCells(i18n: I18n, column: JournalColumn, counts: boolean | null): ExportCell[] {
  if (counts === null) return [null, null];
  return [column.attempt, i18n.t(counts ? 'retakes.counts' : 'retakes.notCounted')];
}
