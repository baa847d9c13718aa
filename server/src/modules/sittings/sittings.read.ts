import type { EntityManager } from '@mikro-orm/core';
import { plainRead } from '../../common/loaded';
import { columnsOf, instantOrNull, mapped, plainRows } from '../../common/plain-sql';
import { ANSWER_COLUMNS, answerFromRow } from '../answers/answer-row';
import { Exam } from '../exams/exam.entity';
import { Ticket } from '../tickets/ticket.entity';
import { User, type Role } from '../users/user.entity';
import { Sitting } from './sitting.entity';

/**
 * Sittings read as plain rows (no query building, no entity hydration): for the exam page's own sitting and for the
 * sittings an event pushes or a release returns — thousands at once on exam day. Every relation a sitting's fields
 * read is in place (its ticket's number, its student, its grader, its answer; the exam is the caller's), so the field
 * resolvers read nothing and apply every visibility rule to them as to entities (common/loaded.ts). Nothing here may
 * be flushed or populated.
 */

/** a sitting's columns with its ticket's number, grader and answer; `SITTING_JOINS` brings them (`s` is the sitting) */
export const SITTING_COLUMNS = `s.id as sitting_id, s.ticket_id, tk.number as ticket_number, s.entered_at, s.last_seen_at,
  s.ticket_chosen_at, s.questions_released_at, s.questions_viewed_at, s.ends_at_override,
  s.score, s.letter, s.gpa, s.grade_comment, s.graded_at, s.grade_published_at,
  g.id as grader_id, g.login as grader_login, g.full_name as grader_full_name, g.role as grader_role,
  ${ANSWER_COLUMNS}`;
export const SITTING_JOINS = `left join tickets tk on tk.id = s.ticket_id
left join users g on g.id = s.graded_by_id
left join answers a on a.sitting_id = s.id`;

export type Cell = string | number | boolean | Date | null;

export const plainPerson = (id: Cell, login: Cell, fullName: Cell, role: Cell): User =>
  plainRead(User, { id: String(id), login: String(login), fullName: String(fullName), role: role as Role });

/** one row of `SITTING_COLUMNS` as a plain sitting of `exam` and `student` */
export function sittingFromRow(row: Record<string, Cell>, exam: Exam, student: User): Sitting {
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
    gradePublishedAt: instantOrNull(row.grade_published_at),
    gradedBy:
      row.grader_id == null
        ? null
        : plainPerson(row.grader_id, row.grader_login, row.grader_full_name, row.grader_role),
    answer: null,
  });
  if (row.answer_id != null) sitting.answer = answerFromRow(sitting, row);
  return sitting;
}

/** which of an exam's sittings to read */
export type SittingSelection = { ids: readonly string[] } | { studentIds: readonly string[] } | { withTicket: true };

/** ids bound in one statement (SQLite allows 32,766 parameters a statement, PostgreSQL 65,535) */
export const IDS_A_READ = 1_000;

const STUDENT_COLUMNS =
  'u.id as student_id, u.login as student_login, u.full_name as student_full_name, u.role as student_role';

/**
 * Sittings of an exam, plain, with their students, in the students' name order (then by id): `withTicket` in one
 * statement, listed ids in one per IDS_A_READ. `exam` is the caller's object, shared by them all; given by id, it is
 * read with the first statement (one row's columns, as an entity of `em`: its own fields may read its relations).
 * `between` runs between two statements (e.g. to let the event loop breathe).
 */
export async function readSittings(
  em: EntityManager,
  exam: Exam | string,
  selection: SittingSelection,
  between?: () => Promise<void>,
): Promise<Sitting[]> {
  const examId = typeof exam === 'string' ? exam : exam.id;
  let shared = typeof exam === 'string' ? undefined : exam;
  const statement = (where: string) =>
    `select ${SITTING_COLUMNS}, ${STUDENT_COLUMNS}${shared ? '' : `, ${columnsOf(em, Exam, 'e')}`}
from sittings s
join users u on u.id = s.student_id
${shared ? '' : 'join exams e on e.id = s.exam_id'}
${SITTING_JOINS}
where s.exam_id = ? and ${where} order by u.full_name, s.id`;
  const toSittings = (rows: Record<string, Cell>[]) => {
    if (rows.length) shared ??= mapped(em, Exam, 'e', rows[0])!;
    return rows.map((row) =>
      sittingFromRow(
        row,
        shared!,
        plainPerson(row.student_id, row.student_login, row.student_full_name, row.student_role),
      ),
    );
  };
  if ('withTicket' in selection) return toSittings(await plainRows(em, statement('s.ticket_id is not null'), [examId]));
  const [column, ids] = 'ids' in selection ? ['s.id', selection.ids] : ['s.student_id', selection.studentIds];
  const sittings: Sitting[] = [];
  for (let i = 0; i < ids.length; i += IDS_A_READ) {
    if (i > 0) await between?.();
    const chunk = ids.slice(i, i + IDS_A_READ);
    const rows = await plainRows<Record<string, Cell>>(
      em,
      statement(`${column} in (${chunk.map(() => '?').join(', ')})`),
      [examId, ...chunk],
    );
    sittings.push(...toSittings(rows));
  }
  if (ids.length <= IDS_A_READ) return sittings;
  const key = (s: Sitting) => [s.student.fullName, s.id] as const;
  return sittings.sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    return x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0;
  });
}

/** an event's sittings as its pushes find them (exams/exam-streams.ts), with the EntityManager of their exam */
export interface SittingsRead {
  em: EntityManager;
  sittings: Map<string, Sitting>;
}

/** sittings read by whoever published the event (a release reads them for its answer), for its pushes */
export function readAlready(em: EntityManager, sittings: readonly Sitting[]): SittingsRead {
  return { em, sittings: new Map(sittings.map((s) => [s.id, s])) };
}
