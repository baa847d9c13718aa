import type { EntityManager } from '@mikro-orm/core';
import { ArgsType, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import type { Config } from '../../config';
import {
  allIds,
  Connection,
  inOrder,
  PageArgs,
  pageOf,
  pageRequest,
  searchText,
  where,
  whereContains,
  type ListQuery,
  type Page,
} from '../../common/connection';
import { plainSql } from '../../common/plain-sql';
import { listedExamsTeacher, type Viewer } from '../../policy/exam.policy';
import { Exam } from './exam.entity';

/** Where an exam stands on the server's clock. */
export enum ExamTiming {
  UPCOMING = 'UPCOMING',
  RUNNING = 'RUNNING',
  ENDED = 'ENDED',
}
registerEnumType(ExamTiming, {
  name: 'ExamTiming',
  description: "Where an exam stands on the server's clock (issue 13, a filter of examsConnection).",
  valuesConfig: {
    UPCOMING: { description: 'not started yet (startsAt is later than now)' },
    RUNNING: { description: 'started and not ended (startsAt ≤ now < endsAt; extra time of single students aside)' },
    ENDED: { description: 'endsAt has passed' },
  },
});

@ObjectType({ description: 'A page of exams, by start time (issue 13).' })
export class ExamConnection extends Connection(Exam) {}

@ArgsType()
export class ExamsConnectionArgs extends PageArgs {
  @Field(() => String, {
    nullable: true,
    description:
      "part of the discipline's title or code or of the teacher's name or login, any case; at most MAX_SEARCH_CHARS",
  })
  search?: string | null;

  @Field(() => ID, { nullable: true, description: 'only exams of this academic year' })
  academicYearId?: string | null;

  @Field(() => ID, { nullable: true, description: 'only exams of this examination period' })
  periodId?: string | null;

  @Field(() => ID, { nullable: true, description: 'only exams of this discipline' })
  disciplineId?: string | null;

  @Field(() => ID, { nullable: true, description: 'only exams of this teacher (a teacher sees their own anyway)' })
  teacherId?: string | null;

  @Field(() => ExamTiming, { nullable: true, description: "only exams in this state on the server's clock" })
  timing?: ExamTiming | null;

  @Field(() => Date, { nullable: true, description: 'only exams starting at or after this instant' })
  startsFrom?: Date | null;

  @Field(() => Date, { nullable: true, description: 'only exams starting before this instant' })
  startsBefore?: Date | null;
}

type ExamFilters = Omit<ExamsConnectionArgs, 'first' | 'after'>;

/** What the exam lists show with each exam (one statement per relation level). */
const POPULATE = ['period.academicYear', 'discipline', 'teacher', 'retakes'] as const;

/** issue 13: the staff's and the teachers' lists of exams, by start time then id. */
export class ExamList {
  constructor(private readonly config: Pick<Config, 'maxPageSize' | 'maxSearchChars'>) {}

  private query(em: EntityManager, viewer: Viewer, filters: ExamFilters, now: Date): ListQuery {
    const db = plainSql(em);
    const query: ListQuery = {
      list: 'exams',
      from: 'exams e join disciplines d on d.id = e.discipline_id join users t on t.id = e.teacher_id',
      where: [],
      params: [],
      order: [
        { sql: 'e.starts_at', kind: 'time' },
        { sql: 'e.id', kind: 'text' },
      ],
    };
    const ownOnly = listedExamsTeacher(viewer);
    if (ownOnly) where(query, 'e.teacher_id = ?', ownOnly);
    if (filters.teacherId) where(query, 'e.teacher_id = ?', filters.teacherId);
    if (filters.periodId) where(query, 'e.period_id = ?', filters.periodId);
    if (filters.academicYearId)
      where(query, 'e.period_id in (select p.id from periods p where p.academic_year_id = ?)', filters.academicYearId);
    if (filters.disciplineId) where(query, 'e.discipline_id = ?', filters.disciplineId);
    if (filters.startsFrom) where(query, 'e.starts_at >= ?', db.time(filters.startsFrom));
    if (filters.startsBefore) where(query, 'e.starts_at < ?', db.time(filters.startsBefore));
    if (filters.timing === ExamTiming.UPCOMING) where(query, 'e.starts_at > ?', db.time(now));
    if (filters.timing === ExamTiming.RUNNING)
      where(query, 'e.starts_at <= ? and e.ends_at > ?', db.time(now), db.time(now));
    if (filters.timing === ExamTiming.ENDED) where(query, 'e.ends_at <= ?', db.time(now));
    const text = searchText(this.config, filters.search);
    if (text) {
      const either: ListQuery = { ...query, where: [], params: [] };
      whereContains(either, 'd.search_key', text);
      whereContains(either, 't.search_key', text);
      where(query, either.where.join(' or '), ...either.params);
    }
    return query;
  }

  page(em: EntityManager, viewer: Viewer, args: ExamsConnectionArgs, now: Date): Promise<Page<Exam>> {
    return pageOf(em, this.query(em, viewer, args, now), pageRequest(this.config, args), (ids) =>
      inOrder(em, Exam, ids, { populate: POPULATE }),
    );
  }

  /** the contract's `exams(periodId)`: the period's exams the viewer may list, in the same order */
  async all(em: EntityManager, viewer: Viewer, filters: ExamFilters, now: Date): Promise<Exam[]> {
    return inOrder(em, Exam, await allIds(em, this.query(em, viewer, filters, now)), { populate: POPULATE });
  }
}
