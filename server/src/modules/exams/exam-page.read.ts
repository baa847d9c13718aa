import type { EntityManager } from '@mikro-orm/core';
import { plainRead } from '../../common/loaded';
import { instant, instantOrNull, plainRows, truth } from '../../common/plain-sql';
import { Answer, type AnswerStatus } from '../answers/answer.entity';
import { AcademicYear, Discipline, Period } from '../calendar/calendar.entity';
import { Sitting } from '../sittings/sitting.entity';
import { Ticket } from '../tickets/ticket.entity';
import { User, type Role } from '../users/user.entity';
import { Exam, type ExamFormat, type TicketAssignment } from './exam.entity';

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
  p.id as period_id, p.number as period_number, p.title as period_title, p.starts_on as period_starts_on, p.ends_on as period_ends_on,
  y.id as year_id, y.title as year_title, y.starts_on as year_starts_on, y.ends_on as year_ends_on,
  d.id as discipline_id, d.code as discipline_code, d.title as discipline_title,
  t.id as teacher_id, t.login as teacher_login, t.full_name as teacher_full_name, t.role as teacher_role,
  s.id as sitting_id, s.ticket_id, tk.number as ticket_number, s.entered_at, s.last_seen_at, s.ticket_chosen_at,
  s.questions_released_at, s.questions_viewed_at, s.ends_at_override,
  s.score, s.letter, s.gpa, s.grade_comment, s.graded_at,
  g.id as grader_id, g.login as grader_login, g.full_name as grader_full_name, g.role as grader_role,
  a.id as answer_id, a.text as answer_text, a.status as answer_status, a.saved_at as answer_saved_at, a.submitted_at as answer_submitted_at,
  a.version as answer_version
from exams e
join periods p on p.id = e.period_id
join academic_years y on y.id = p.academic_year_id
join disciplines d on d.id = e.discipline_id
join users t on t.id = e.teacher_id
join sittings s on s.exam_id = e.id and s.student_id = ?
left join tickets tk on tk.id = s.ticket_id
left join users g on g.id = s.graded_by_id
left join answers a on a.sitting_id = s.id
where e.id = ?`;

type Cell = string | number | boolean | Date | null;

const person = (id: Cell, login: Cell, fullName: Cell, role: Cell) =>
  plainRead(User, { id: String(id), login: String(login), fullName: String(fullName), role: role as Role });

/** The calling student's exam and own sitting (both plain), or null when the exam is not theirs. */
export async function readStudentExam(
  em: EntityManager,
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
    teacher: person(row.teacher_id, row.teacher_login, row.teacher_full_name, row.teacher_role),
  });
  const sitting = plainRead(Sitting, {
    id: String(row.sitting_id),
    exam,
    student,
    ticket:
      row.ticket_id == null
        ? null
        : plainRead(Ticket, { id: String(row.ticket_id), number: Number(row.ticket_number) }),
    enteredAt: instantOrNull(row.entered_at),
    lastSeenAt: instantOrNull(row.last_seen_at),
    ticketChosenAt: instantOrNull(row.ticket_chosen_at),
    questionsReleasedAt: instantOrNull(row.questions_released_at),
    questionsViewedAt: instantOrNull(row.questions_viewed_at),
    endsAtOverride: instantOrNull(row.ends_at_override),
    score: row.score == null ? null : Number(row.score),
    letter: row.letter as string | null,
    gpa: row.gpa == null ? null : Number(row.gpa),
    gradeComment: row.grade_comment as string | null,
    gradedAt: instantOrNull(row.graded_at),
    gradedBy:
      row.grader_id == null ? null : person(row.grader_id, row.grader_login, row.grader_full_name, row.grader_role),
    answer: null,
  });
  if (row.answer_id != null) {
    sitting.answer = plainRead(Answer, {
      id: String(row.answer_id),
      sitting,
      text: String(row.answer_text),
      status: row.answer_status as AnswerStatus,
      savedAt: instantOrNull(row.answer_saved_at),
      submittedAt: instantOrNull(row.answer_submitted_at),
      version: Number(row.answer_version),
    });
  }
  return { exam, sitting };
}
