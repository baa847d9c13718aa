import type { EntityManager } from '@mikro-orm/core';
import { AnswerSendMode, AnswerStatus } from '../answers/answer.entity';
import { GradeService } from '../grades/grade.service';
import { isGradePublished } from '../grades/grade-publication';
import { Sitting } from '../sittings/sitting.entity';
import { Role, type User } from '../users/user.entity';
import { JournalRow } from './journal-row.type';
import { hidesStudents } from '../../policy/blind.policy';

// the answer for how it was sent only: never its text
const EXCLUDE = ['answer.text'] as const;
const POPULATE = [
  'student',
  'gradedBy',
  'answer',
  'exam.discipline',
  'exam.period.academicYear',
  'exam.teacher',
] as const;

/** issue 12: the journal holds published grades only; `showDrafts` (staff, the teacher) flags a draft's row */
function toRow(sitting: Sitting, showDrafts: boolean): JournalRow {
  const published = isGradePublished(sitting);
  return Object.assign(new JournalRow(), {
    sitting,
    student: sitting.student,
    discipline: sitting.exam.discipline,
    period: sitting.exam.period,
    exam: sitting.exam,
    grade: published ? GradeService.gradeOf(sitting) : null,
    gradeDraft: showDrafts && sitting.score != null && !published,
    sendMode:
      sitting.answer?.status === AnswerStatus.SUBMITTED ? (sitting.answer.sendMode ?? AnswerSendMode.STUDENT) : null,
  });
}

/** R7.7: the grade journal, one row per sitting. */
export class JournalService {
  /** grades of a discipline in a period: staff see every exam, a teacher the exams they teach */
  async ofDiscipline(em: EntityManager, reader: User, disciplineId: string, periodId: string): Promise<JournalRow[]> {
    const exam =
      reader.role === Role.STAFF
        ? { discipline: disciplineId, period: periodId }
        : { discipline: disciplineId, period: periodId, teacher: reader.id };
    const sittings = await em.find(
      Sitting,
      { exam },
      { populate: POPULATE, exclude: EXCLUDE, orderBy: { student: { fullName: 'asc' }, exam: { startsAt: 'asc' } } },
    );
    // blind marking: a teacher's journal leaves out a blind exam until its results are published. Its rows would hold
    // no grade then anyway, and a name beside the row's sittingId (or its draft flag) would say whose answer the
    // teacher graded under a code.
    return sittings.filter((s) => !hidesStudents(reader, s.exam)).map((s) => toRow(s as Sitting, true));
  }

  /** a student's own grades in an academic year, or in one of its periods */
  async ofStudent(em: EntityManager, student: User, academicYearId: string, periodId?: string): Promise<JournalRow[]> {
    const period = periodId ? { id: periodId, academicYear: academicYearId } : { academicYear: academicYearId };
    const sittings = await em.find(
      Sitting,
      { student: student.id, exam: { period } },
      { populate: POPULATE, exclude: EXCLUDE, orderBy: { exam: { startsAt: 'asc' } } },
    );
    return sittings.map((s) => toRow(s as Sitting, false));
  }
}
