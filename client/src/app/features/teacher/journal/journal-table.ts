import type { JournalRowFieldsFragment } from '../../../core/graphql/generated';

type Row = JournalRowFieldsFragment;
export type JournalGrade = NonNullable<Row['grade']>;

export interface JournalColumn {
  readonly examId: string;
  readonly startsAt: string;
  readonly teacher: string;
}

export interface JournalLine {
  readonly student: Row['student'];
  /** one per column: the grade, null when not graded yet, undefined when the student was not at that exam */
  readonly grades: readonly (JournalGrade | null | undefined)[];
  /** issue 11: one per column, how the answer was sent (null: nothing sent or no such exam) */
  readonly sendModes: readonly (Row['sendMode'] | null)[];
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
      rows.map((r) => [r.exam.id, { examId: r.exam.id, startsAt: r.exam.startsAt, teacher: r.exam.teacher.fullName }]),
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
      };
      byStudent.set(row.student.id, line);
    }
    line.grades[index.get(row.exam.id)!] = row.grade ?? null;
    line.sendModes[index.get(row.exam.id)!] = row.sendMode ?? null;
    line.cells[index.get(row.exam.id)!] = {
      sittingId: row.sittingId,
      draft: row.gradeDraft,
      history: row.gradeHistory ?? [],
    };
  }
  const lines = [...byStudent.values()].sort((a, b) => a.student.fullName.localeCompare(b.student.fullName));
  return { columns, lines };
}
