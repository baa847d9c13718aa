import type { EntityManager } from '@mikro-orm/core';
import { plainRead } from '../../common/loaded';
import { instant, instantOrNull, plainRows, truth, type PlainSql } from '../../common/plain-sql';
import { AcademicYear, Discipline, Period } from '../calendar/calendar.entity';
import type { Sitting } from '../sittings/sitting.entity';
import { plainPerson, sittingFromRow, SITTING_COLUMNS, SITTING_JOINS, type Cell } from '../sittings/sittings.read';
import { User } from '../users/user.entity';
import { Exam, type ExamFormat, type ResultsRelease, type TicketAssignment } from './exam.entity';

/**
 * The exam page's hot read (R2–R8, query StudentExam), off the ORM: the exam with its period, year, discipline and
 * teacher, and the calling student's own sitting with its ticket's number, its grader and its answer, in one prepared
 * statement of plain rows. No student sitting, no row: the exam is not theirs, as for `visibleExam`.
 *
 * The objects are the entities' classes holding the loaded graph (every relation the page shows in place), but plain
 * (common/loaded.ts): only the field resolvers read them, applying every visibility rule to them as to entities.
 * Nothing here may be flushed or populated; actions read their sitting through the ORM (exam-access.ts).
 */
const STUDENT_EXAM = `select e.id, e.starts_at, e.ends_at, e.format, e.ticket_assignment, e.task_text,
  e.platform_name, e.platform_url, e.platform_login, e.platform_password, e.recording_url, e.recording_visible,
  e.auto_send_at_end, e.results_release, e.results_published_at, e.results_published_by_id,
  e.auto_send_at_end, e.retake_of_id,
  p.id as period_id, p.number as period_number, p.title as period_title, p.starts_on as period_starts_on, p.ends_on as period_ends_on,
  y.id as year_id, y.title as year_title, y.starts_on as year_starts_on, y.ends_on as year_ends_on,
  d.id as discipline_id, d.code as discipline_code, d.title as discipline_title,
  t.id as teacher_id, t.login as teacher_login, t.full_name as teacher_full_name, t.role as teacher_role,
  ${SITTING_COLUMNS}
from exams e
join periods p on p.id = e.period_id
join academic_years y on y.id = p.academic_year_id
join disciplines d on d.id = e.discipline_id
join users t on t.id = e.teacher_id
join sittings s on s.exam_id = e.id and s.student_id = ?
${SITTING_JOINS}
where e.id = ?`;

/** The calling student's exam and own sitting (both plain), or null when the exam is not theirs. */
export async function readStudentExam(
  em: EntityManager | PlainSql,
  examId: string,
  student: User,
): Promise<{ exam: Exam; sitting: Sitting } | null> {
  const [row] = await plainRows<Record<string, Cell>>(em, STUDENT_EXAM, [student.id, examId]);
  if (!row) return null;
  const academicYear = plainRead(AcademicYear, {
    id: String(row.year_id),
    title: String(row.year_title),
    startsOn: String(row.year_starts_on),
    endsOn: String(row.year_ends_on),
  });
  const exam = plainRead(Exam, {
    id: String(row.id),
    startsAt: instant(row.starts_at),
    endsAt: instant(row.ends_at),
    format: row.format as ExamFormat,
    ticketAssignment: (row.ticket_assignment ?? null) as TicketAssignment | null,
    taskText: row.task_text as string | null,
    platformName: row.platform_name as string | null,
    platformUrl: row.platform_url as string | null,
    platformLogin: row.platform_login as string | null,
    platformPassword: row.platform_password as string | null,
    recordingUrl: row.recording_url as string | null,
    recordingVisible: truth(row.recording_visible),
    autoSendAtEnd: row.auto_send_at_end == null ? null : truth(row.auto_send_at_end),
    resultsRelease: row.results_release as ResultsRelease,
    resultsPublishedAt: instantOrNull(row.results_published_at),
    // the publisher's id only: the exam page never shows a student who published
    resultsPublishedBy:
      row.results_published_by_id == null ? null : plainRead(User, { id: String(row.results_published_by_id) }),
    // E6: the exam it retakes, by id only (the retakeOf field reads it when asked)
    retakeOf: row.retake_of_id == null ? null : plainRead(Exam, { id: String(row.retake_of_id) }),
    period: plainRead(Period, {
      id: String(row.period_id),
      number: Number(row.period_number),
      title: String(row.period_title),
      startsOn: String(row.period_starts_on),
      endsOn: String(row.period_ends_on),
      academicYear,
    }),
    discipline: plainRead(Discipline, {
      id: String(row.discipline_id),
      code: String(row.discipline_code),
      title: String(row.discipline_title),
    }),
    teacher: plainPerson(row.teacher_id, row.teacher_login, row.teacher_full_name, row.teacher_role),
  });
  return { exam, sitting: sittingFromRow(row, exam, student) };
}
