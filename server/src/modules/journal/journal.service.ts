import type { EntityManager } from '@mikro-orm/core';
import { AnswerSendMode, AnswerStatus } from '../answers/answer.entity';
import { GradeService } from '../grades/grade.service';
import { isGradePublished } from '../grades/grade-publication';
import { Sitting } from '../sittings/sitting.entity';
import type { User } from '../users/user.entity';
import { JournalRow } from './journal-row.type';
import type { Config } from '../../config';
import {
  allIds,
  inOrder,
  pageOf,
  pageRequest,
  searchText,
  where,
  whereContains,
  type ListQuery,
  type Page,
  type PageArgs,
} from '../../common/connection';
import { listedExamsTeacher } from '../../policy/exam.policy';
import { hidesStudentsSql } from '../../policy/blind.policy';

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

/** What one list of the journal holds: a discipline's sittings in a period, optionally one exam's, searched by student. */
export interface JournalFilters {
  disciplineId: string;
  periodId: string;
  examId?: string | null;
  search?: string | null;
}

/** R7.7: the grade journal, one row per sitting. */
export class JournalService {
  constructor(private readonly config: Pick<Config, 'maxPageSize' | 'maxSearchChars'>) {}

  /** by student's name, then the exam's start, then the sitting's id; staff see every exam, a teacher the exams they teach */
  private query(reader: User, filters: JournalFilters): ListQuery {
    const query: ListQuery = {
      list: 'journal',
      from: 'sittings s join exams e on e.id = s.exam_id join users st on st.id = s.student_id',
      where: [],
      params: [],
      order: [
        { sql: 'st.full_name', kind: 'text' },
        { sql: 'e.starts_at', kind: 'time' },
        { sql: 's.id', kind: 'text' },
      ],
    };
    where(query, 'e.discipline_id = ? and e.period_id = ?', filters.disciplineId, filters.periodId);
    const ownOnly = listedExamsTeacher(reader);
    if (ownOnly) where(query, 'e.teacher_id = ?', ownOnly);
    if (filters.examId) where(query, 'e.id = ?', filters.examId);
    // blind marking: a teacher's journal leaves out a blind exam until its results are published. Its rows would hold
    // no grade then anyway, and a name beside the row's sittingId (or its draft flag) would say whose answer the
    // teacher graded under a code. In the query, so pages and totalCount agree.
    const hidden = hidesStudentsSql(reader, 'e');
    if (hidden) where(query, `not ${hidden}`);
    whereContains(query, 'st.search_key', searchText(this.config, filters.search));
    return query;
  }

  private async rows(em: EntityManager, ids: string[]): Promise<JournalRow[]> {
    const sittings = await inOrder(em, Sitting, ids, { populate: POPULATE, exclude: EXCLUDE });
    return sittings.map((s) => toRow(s, true));
  }

  /** grades of a discipline in a period, whole (the contract's `journal`) */
  async ofDiscipline(em: EntityManager, reader: User, disciplineId: string, periodId: string): Promise<JournalRow[]> {
    return this.rows(em, await allIds(em, this.query(reader, { disciplineId, periodId })));
  }

  /** issue 13: the same rows a page at a time */
  page(
    em: EntityManager,
    reader: User,
    filters: JournalFilters,
    args: PageArgs,
  ): Promise<Page<JournalRow & { id: string }>> {
    return pageOf(em, this.query(reader, filters), pageRequest(this.config, args), async (ids) =>
      (await this.rows(em, ids)).map((row) => Object.assign(row, { id: row.sitting.id })),
    );
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
