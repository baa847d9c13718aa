import type { EntityManager } from '@mikro-orm/core';
import { BetterSqliteDriver } from '@mikro-orm/better-sqlite';
import { BadUserInputError } from '../../common/errors';
import { instant, plainSql } from '../../common/plain-sql';
import { Exam } from '../exams/exam.entity';
import { GradeChangeKind } from '../grades/grade-change.entity';
import { User } from '../users/user.entity';

/**
 * issue 13: the grade feed — every entry of grade_changes (a grade published, changed by an appeal's decision or a
 * staff correction; drafts have no entries) in commit order, by its feed position:
 * - PostgreSQL: `feed_pos`, handed out by a trigger from one counter row that stays locked until the inserting
 *   transaction commits (migration 20261203051957), so positions follow commit order;
 * - SQLite: `seq` itself, since one writer at a time takes the numbers and commits.
 * A reader past position N therefore never sees a later commit appear below N: nothing is missed, nothing repeated.
 */
export const feedPositionColumn = (em: EntityManager): 'seq' | 'feed_pos' =>
  em.getDriver() instanceof BetterSqliteDriver ? 'seq' : 'feed_pos';

/** One event as the feed's readers (the query and the webhooks) get it. */
export interface FeedEvent {
  position: number;
  cursor: string;
  kind: GradeChangeKind;
  at: Date;
  sittingId: string;
  examId: string;
  /** the exam's and the student's keys in the student information system (null when they have none) */
  examExternalId: string | null;
  studentId: string;
  studentLogin: string;
  studentExternalId: string | null;
  score: number;
  letter: string;
  gpa: number;
  previousScore: number | null;
  reason: string | null;
  appealId: string | null;
}

interface FeedRow {
  pos: number | string;
  kind: GradeChangeKind;
  at: unknown;
  sitting_id: string;
  exam_id: string;
  exam_external_id: string | null;
  student_id: string;
  student_login: string;
  student_external_id: string | null;
  score: number | string;
  letter: string;
  gpa: number | string;
  previous_score: number | string | null;
  reason: string | null;
  appeal_id: string | null;
}

const CURSOR_PREFIX = 'gc1:';

/** an opaque cursor for a feed position (its form may change; clients only hand it back) */
export const cursorOf = (position: number): string => Buffer.from(`${CURSOR_PREFIX}${position}`).toString('base64url');

/** the feed position a cursor stands for; null (no cursor) is the feed's start */
export function positionOf(cursor: string | null | undefined): number {
  if (cursor == null || cursor === '') return 0;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const position = text.startsWith(CURSOR_PREFIX) ? Number(text.slice(CURSOR_PREFIX.length)) : NaN;
  if (!Number.isSafeInteger(position) || position < 0)
    throw new BadUserInputError(
      'This cursor is not one the grade feed gave; pass an endCursor or an event cursor exactly as received, or none to start from the beginning.',
    );
  return position;
}

const feedStatement = (column: string) => `select gc.${column} as pos, gc.kind, gc.at, gc.sitting_id, s.exam_id,
  e.external_id as exam_external_id, s.student_id, u.login as student_login, u.external_id as student_external_id, gc.score, gc.letter, gc.gpa, gc.previous_score, gc.reason, ap.id as appeal_id
from grade_changes gc
join sittings s on s.id = gc.sitting_id
join exams e on e.id = s.exam_id
join users u on u.id = s.student_id
left join appeals ap on ap.sitting_id = gc.sitting_id and gc.kind = '${GradeChangeKind.APPEAL_DECIDED}'
where gc.${column} > ?
order by gc.${column}
limit ?`;

/** Up to `limit` events after feed position `after`, oldest first. */
export async function readFeed(em: EntityManager, after: number, limit: number): Promise<FeedEvent[]> {
  const rows = await plainSql(em).rows<FeedRow>(feedStatement(feedPositionColumn(em)), [after, limit]);
  return rows.map((r) => {
    const position = Number(r.pos);
    return {
      position,
      cursor: cursorOf(position),
      kind: r.kind,
      at: instant(r.at),
      sittingId: r.sitting_id,
      examId: r.exam_id,
      examExternalId: r.exam_external_id,
      studentId: r.student_id,
      studentLogin: r.student_login,
      studentExternalId: r.student_external_id,
      score: Number(r.score),
      letter: r.letter,
      gpa: Number(r.gpa),
      previousScore: r.previous_score == null ? null : Number(r.previous_score),
      reason: r.reason,
      appealId: r.appeal_id,
    };
  });
}

/** the feed's last position now (a new webhook starts after it) */
export async function feedHead(em: EntityManager): Promise<number> {
  const column = feedPositionColumn(em);
  const [row] = await plainSql(em).rows<{ head: number | string | null }>(
    `select max(${column}) as head from grade_changes`,
  );
  return Number(row?.head ?? 0);
}

/** A page of the feed with the exams and students its events name (two reads, whatever the page's size). */
export interface FeedPage {
  events: FeedEvent[];
  exams: Map<string, Exam>;
  students: Map<string, User>;
  endCursor: string;
  hasMore: boolean;
}

export class GradeFeed {
  constructor(private readonly settings: { gradeFeedPageMax: number }) {}

  /** the page size when `first` is not given */
  get defaultFirst(): number {
    return Math.min(100, this.settings.gradeFeedPageMax);
  }

  /** The events after `after` (a cursor; none: from the start), at most `first` (1..GRADE_FEED_PAGE_MAX). */
  async page(em: EntityManager, after: string | null | undefined, first: number | null | undefined): Promise<FeedPage> {
    const limit = first ?? this.defaultFirst;
    const max = this.settings.gradeFeedPageMax;
    if (!Number.isInteger(limit) || limit < 1 || limit > max)
      throw new BadUserInputError(
        `first must be from 1 to ${max} (GRADE_FEED_PAGE_MAX); ask again with a smaller page.`,
      );
    const from = positionOf(after);
    const rows = await readFeed(em, from, limit + 1);
    const events = rows.slice(0, limit);
    const examIds = [...new Set(events.map((e) => e.examId))];
    const studentIds = [...new Set(events.map((e) => e.studentId))];
    const exams = examIds.length ? await em.find(Exam, { id: { $in: examIds } }) : [];
    const students = studentIds.length ? await em.find(User, { id: { $in: studentIds } }) : [];
    return {
      events,
      exams: new Map(exams.map((e) => [e.id, e])),
      students: new Map(students.map((s) => [s.id, s])),
      endCursor: events.length ? events[events.length - 1].cursor : cursorOf(from),
      hasMore: rows.length > limit,
    };
  }
}
