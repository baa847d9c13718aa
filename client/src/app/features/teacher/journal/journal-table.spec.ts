import { journalTable } from './journal-table';

const student = (id: string, fullName: string) => ({ id, login: id, fullName });
const exam = (id: string, startsAt: string) => ({ id, startsAt, teacher: { id: 't', fullName: 'Нұрлан Әбенов' } });
const grade = (score: number, letter: string, gpa: number) => ({ score, letter, gpa });
/** issue 12: the row's sitting, draft flag and history */
const sitting = (sittingId: string, gradeDraft = false) => ({ sittingId, gradeDraft, gradeHistory: [] });

describe('the journal table', () => {
  it('puts students down and the exams across, in date order, with a gap where a student did not sit', () => {
    const { columns, lines } = journalTable([
      {
        student: student('s2', 'Дана Сапарова'),
        exam: exam('retake', '2026-12-20T04:00:00Z'),
        grade: grade(75, 'B-', 2.67),
        sendMode: 'AUTOMATIC' as const,
        ...sitting('x1'),
        attempt: 2,
        counts: true,
      },
      {
        student: student('s1', 'Арман Бекұлы'),
        exam: exam('main', '2026-12-10T04:00:00Z'),
        grade: grade(96, 'A', 4),
        sendMode: 'STUDENT' as const,
        ...sitting('x2'),
        attempt: 1,
        counts: true,
      },
      {
        student: student('s2', 'Дана Сапарова'),
        exam: exam('main', '2026-12-10T04:00:00Z'),
        grade: grade(40, 'FX', 0.5),
        sendMode: 'LATE_WITHIN_GRACE' as const,
        ...sitting('x3'),
        attempt: 1,
        counts: false,
      },
      {
        student: student('s3', 'Әлия Нұрланқызы'),
        exam: exam('main', '2026-12-10T04:00:00Z'),
        grade: null,
        sendMode: null,
        ...sitting('x4', true),
        attempt: 1,
        counts: true,
      },
    ]);
    expect(columns.map((c) => [c.examId, c.attempt])).toEqual([
      ['main', 1],
      ['retake', 2],
    ]);
    expect(lines.map((l) => l.student.fullName)).toEqual(
      ['Арман Бекұлы', 'Әлия Нұрланқызы', 'Дана Сапарова'].sort((a, b) => a.localeCompare(b)),
    );
    const dana = lines.find((l) => l.student.id === 's2')!;
    expect(dana.grades.map((g) => g?.letter)).toEqual(['FX', 'B-']);
    expect(dana.sendModes)
      .withContext('how each answer was sent, by column')
      .toEqual(['LATE_WITHIN_GRACE', 'AUTOMATIC']);
    expect(dana.counts).withContext("E6: the retake's published grade counts, not the FX").toEqual([false, true]);
    expect(dana.retook).toBeTrue();
    const arman = lines.find((l) => l.student.id === 's1')!;
    expect(arman.grades).toEqual([grade(96, 'A', 4), undefined]);
    expect(arman.counts).toEqual([true, null]);
    expect(arman.retook).toBeFalse();
    expect(lines.find((l) => l.student.id === 's3')!.grades).toEqual([null, undefined]);
    // issue 12: a draft's cell says so; a column the student did not sit has none
    expect(lines.find((l) => l.student.id === 's3')!.cells).toEqual([
      { sittingId: 'x4', draft: true, history: [] },
      null,
    ]);
    expect(dana.cells.map((c) => c?.sittingId)).toEqual(['x3', 'x1']);
  });

  it('is empty for no rows', () => {
    expect(journalTable([])).toEqual({ columns: [], lines: [] });
  });
});
