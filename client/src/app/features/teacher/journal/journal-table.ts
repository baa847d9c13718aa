import type { JournalRowFieldsFragment } from '../../../core/graphql/generated';

type Row = JournalRowFieldsFragment;
export type JournalGrade = NonNullable<Row['grade']>;

export interface JournalColumn {
  readonly examId: string;
  readonly startsAt: string;
  readonly teacher: string;
  /** E6: 1 for an exam, 2 for a retake of one */
  readonly attempt: number;
}

export interface JournalLine {
  readonly student: Row['student'];
  /** one per column: the grade, null when not graded yet, undefined when the student was not at that exam */
  readonly grades: readonly (JournalGrade | null | undefined)[];
  /** issue 11: one per column, how the answer was sent (null: nothing sent or no such exam) */
  readonly sendModes: readonly (Row['sendMode'] | null)[];
  /** E6: one per column, whether that attempt's grade counts (null: no such exam for the student) */
  readonly counts: readonly (boolean | null)[];
  /** E6: the student has more than one attempt at an exam here, so which counts is worth saying */
  readonly retook: boolean;
  /** issue 12: one per column, the sitting (null: not at that exam), whether its grade is a draft, and its history */
  readonly cells: readonly (JournalCell | null)[];
}

export interface JournalCell {
  readonly sittingId: string;
  readonly draft: boolean;
  readonly history: Row['gradeHistory'];
}

/** The journal's rows (one per sitting) as a table: students down, the discipline's exams of the period across. */
export function journalTable(rows: readonly Row[]): { columns: JournalColumn[]; lines: JournalLine[] } {
  const columns = [
    ...new Map(
      rows.map((r) => [
        r.exam.id,
        { examId: r.exam.id, startsAt: r.exam.startsAt, teacher: r.exam.teacher.fullName, attempt: r.attempt },
      ]),
    ).values(),
  ].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const index = new Map(columns.map((c, i) => [c.examId, i]));
  const byStudent = new Map<
    string,
    {
      student: Row['student'];
      grades: (JournalGrade | null | undefined)[];
      sendModes: (Row['sendMode'] | null)[];
      cells: (JournalCell | null)[];
      counts: (boolean | null)[];
      retook: boolean;
    }
  >();
  for (const row of rows) {
    let line = byStudent.get(row.student.id);
    if (!line) {
      line = {
        student: row.student,
        grades: columns.map(() => undefined),
        sendModes: columns.map(() => null),
        cells: columns.map(() => null),
        counts: columns.map(() => null),
        retook: false,
      };
      byStudent.set(row.student.id, line);
    }
    const at = index.get(row.exam.id)!;
    line.grades[at] = row.grade ?? null;
    line.sendModes[at] = row.sendMode ?? null;
    line.cells[at] = {
      sittingId: row.sittingId,
      draft: row.gradeDraft,
      history: row.gradeHistory ?? [],
    };
    line.counts[at] = row.counts;
    line.retook ||= row.attempt > 1;
  }
  const lines = [...byStudent.values()].sort((a, b) => a.student.fullName.localeCompare(b.student.fullName));
  return { columns, lines };
}
