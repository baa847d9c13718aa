import { FlushMode, type EntityManager } from '@mikro-orm/core';
import type { Config } from '../../config';
import {
  AppError,
  BadUserInputError,
  ImportFileInvalidError,
  isUniqueViolation,
  ScheduleHasProblemsError,
} from '../../common/errors';
import {
  examDayInPeriod,
  examTimesProblem,
  localInstant,
  SCHEDULE_COLUMNS,
  type ScheduleColumn,
  type ScheduleProblemCode,
} from '../../rules';
import { AcademicYear, Discipline, Period } from '../calendar/calendar.entity';
import { mayBeEnrolled, mayTeachExam, ticketModeProblem } from '../exams/exam-rules';
import { Exam, ExamFormat, TicketAssignment } from '../exams/exam.entity';
import type { ExamService } from '../exams/exam.service';
import { Sitting } from '../sittings/sitting.entity';
import { User } from '../users/user.entity';
import {
  ScheduleRowOutcome,
  type ScheduleImportReport,
  type ScheduleProblem,
  type ScheduleRowInput,
  type ScheduleRowResult,
} from './schedule-import.types';

/** A row as read from a file or given to importSchedule, with its number (a file's line, or its place from 1). */
export interface ScheduleRow extends ScheduleRowInput {
  line: number;
}

type Params = Record<string, string | number>;

/** The English sentence of a problem (the web app has its own in kk/ru/en from the code and params). */
function sentence(code: ScheduleProblemCode, column: ScheduleColumn | null, p: Params): string {
  switch (code) {
    case 'REQUIRED':
      return `The ${column} cell is empty; it is required.`;
    case 'CELL_TOO_LONG':
      return `The ${column} cell is longer than ${p.max} characters.`;
    case 'BAD_DATE':
      return `"${p.value}" is not a date; write it as 2026-01-15 or 15.01.2026.`;
    case 'BAD_TIME':
      return `"${p.value}" is not a time; write it as 09:00.`;
    case 'BAD_FORMAT':
      return `"${p.value}" is not a format; write TICKETS or TASK.`;
    case 'BAD_TICKET_MODE':
      return `"${p.value}" is not a ticket mode; write STUDENT_CHOICE, RANDOM or STAFF, or leave it empty.`;
    case 'TICKET_MODE_FOR_TASK':
      return 'A task exam has no tickets; leave the ticket mode empty.';
    case 'UNKNOWN_DISCIPLINE':
      return `No discipline has the code or external id "${p.value}".`;
    case 'UNKNOWN_PERIOD':
      return `No period has the external id or year/number "${p.value}" (e.g. 2026-2027/1).`;
    case 'UNKNOWN_TEACHER':
      return `No person has the login or external id "${p.value}".`;
    case 'NOT_A_TEACHER':
      return `"${p.value}" is not a teacher.`;
    case 'UNKNOWN_STUDENT':
      return `No person has the login or external id "${p.value}".`;
    case 'NOT_A_STUDENT':
      return `"${p.value}" is not a student.`;
    case 'END_NOT_AFTER_START':
      return 'The end must be after the start.';
    case 'OUTSIDE_PERIOD':
      return `The date is outside the period (${p.startsOn} to ${p.endsOn}).`;
    case 'DUPLICATE_ROW':
      return `Row ${p.row} is the same exam; keep one of them.`;
    case 'REFUSED':
      return String(p.reason);
  }
}

/** the one-value cells; the students cell is a list, measured joined */
const COLUMN_LIMITED: readonly ScheduleColumn[] = SCHEDULE_COLUMNS.filter((c) => c !== 'students');

/** 2026-01-15 or 15.01.2026 (a spreadsheet set to kk/ru writes the latter) as YYYY-MM-DD, if such a day exists */
export function readDate(text: string): string | null {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  const dmy = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : dmy ? [dmy[3], dmy[2], dmy[1]] : [];
  if (!y) return null;
  const at = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (at.getUTCFullYear() !== Number(y) || at.getUTCMonth() !== Number(m) - 1 || at.getUTCDate() !== Number(d))
    return null;
  return at.toISOString().slice(0, 10);
}

/** 9:00, 09:00 or 09:00:00 as HH:MM */
export function readTime(text: string): string | null {
  const match = /^(\d{1,2})[:.](\d{2})(?::\d{2})?$/.exec(text);
  if (!match || Number(match[1]) > 23 || Number(match[2]) > 59) return null;
  return `${match[1].padStart(2, '0')}:${match[2]}`;
}

const word = (text: string) =>
  text
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');

/** One row once its cells are read and its references found. */
interface Planned {
  row: ScheduleRow;
  period: Period;
  discipline: Discipline;
  teacher: User;
  students: User[];
  startsAt: Date;
  endsAt: Date;
  format: ExamFormat;
  ticketAssignment: TicketAssignment | null;
  externalId: string | null;
}

/**
 * issue 13: an examination period's exams from a file or from the student information system. A dry run reports
 * every row's problems and what would change, writing nothing; the import writes all rows in one transaction or, when
 * any row has a problem, none. Rows are matched to exams by the exam's external id, else by discipline, period,
 * teacher and start, so importing the same schedule again changes nothing. The exam's own rules (ExamService and
 * exam-rules) decide what is valid; this service only names the row and column of what they refuse.
 */
export class ScheduleImportService {
  constructor(
    private readonly exams: ExamService,
    private readonly config: Pick<Config, 'timeZone' | 'importMaxRows' | 'importMaxCellChars'>,
  ) {}

  async run(em: EntityManager, rows: ScheduleRow[], dryRun: boolean): Promise<ScheduleImportReport> {
    if (!rows.length) throw new ImportFileInvalidError('The schedule has no rows; add one exam per row.', 'EMPTY');
    if (rows.length > this.config.importMaxRows)
      throw new ImportFileInvalidError(
        `The schedule has ${rows.length} rows; at most ${this.config.importMaxRows} are taken at once (IMPORT_MAX_ROWS). Split it.`,
        'TOO_MANY_ROWS',
        { max: this.config.importMaxRows },
      );
    if (dryRun) return this.plan(em.fork({ flushMode: FlushMode.COMMIT, clear: true }), rows, true);
    const changed: Exam[] = [];
    const report = await em
      .transactional(async (tx) => {
        const planned = await this.plan(tx, rows, false, changed);
        if (planned.problems.length)
          throw new ScheduleHasProblemsError(
            `The schedule was not imported: ${planned.problems.length} problem(s) in its rows; run a dry run and fix them.`,
            planned.problems,
          );
        return planned;
      })
      .catch((error: unknown) => {
        // another import of the same exams committed first (an external id is unique): nothing of this one was written
        if (isUniqueViolation(error))
          throw new BadUserInputError(
            'Another import wrote some of these exams at the same moment; nothing was imported. Run the dry run again.',
          );
        throw error;
      });
    for (const exam of changed) await this.exams.changed(em, exam); // pushes only after the commit
    return report;
  }

  /** Reads, checks and (unless `dryRun`) applies every row on `em`; the caller commits or discards. */
  private async plan(
    em: EntityManager,
    rows: ScheduleRow[],
    dryRun: boolean,
    changed: Exam[] = [],
  ): Promise<ScheduleImportReport> {
    const problems: ScheduleProblem[] = [];
    const results: ScheduleRowResult[] = [];
    const problem = (row: ScheduleRow, column: ScheduleColumn | null, code: ScheduleProblemCode, params: Params = {}) =>
      problems.push({
        row: row.line,
        column,
        code,
        params: Object.entries(params).map(([name, value]) => ({ name, value: String(value) })),
        message: sentence(code, column, params),
      });
    const cell = (row: ScheduleRow, column: ScheduleColumn) => {
      const value = row[column];
      return typeof value === 'string' ? value.trim() : '';
    };
    const refs = await this.references(em, rows, cell);

    const planned: (Planned | null)[] = rows.map((row) => {
      const before = problems.length;
      const max = this.config.importMaxCellChars;
      for (const column of COLUMN_LIMITED)
        if (cell(row, column).length > max) problem(row, column, 'CELL_TOO_LONG', { max });
      const students = (row.students ?? []).map((s) => s.trim()).filter(Boolean);
      if (students.join(';').length > max) problem(row, 'students', 'CELL_TOO_LONG', { max });
      if (problems.length > before) return null;
      for (const column of ['discipline', 'teacher', 'period', 'date', 'start', 'end', 'format'] as const)
        if (!cell(row, column)) problem(row, column, 'REQUIRED');

      const date = cell(row, 'date') ? readDate(cell(row, 'date')) : null;
      if (cell(row, 'date') && !date) problem(row, 'date', 'BAD_DATE', { value: cell(row, 'date') });
      const start = cell(row, 'start') ? readTime(cell(row, 'start')) : null;
      if (cell(row, 'start') && !start) problem(row, 'start', 'BAD_TIME', { value: cell(row, 'start') });
      const end = cell(row, 'end') ? readTime(cell(row, 'end')) : null;
      if (cell(row, 'end') && !end) problem(row, 'end', 'BAD_TIME', { value: cell(row, 'end') });
      const format = Object.values(ExamFormat).find((f) => f === word(cell(row, 'format')));
      if (cell(row, 'format') && !format) problem(row, 'format', 'BAD_FORMAT', { value: cell(row, 'format') });
      const mode = cell(row, 'ticketMode');
      const ticketAssignment = mode ? Object.values(TicketAssignment).find((t) => t === word(mode)) : null;
      if (mode && !ticketAssignment) problem(row, 'ticketMode', 'BAD_TICKET_MODE', { value: mode });
      if (format && ticketModeProblem(format, ticketAssignment)) problem(row, 'ticketMode', 'TICKET_MODE_FOR_TASK');

      const discipline = refs.discipline(cell(row, 'discipline'));
      if (cell(row, 'discipline') && !discipline)
        problem(row, 'discipline', 'UNKNOWN_DISCIPLINE', { value: cell(row, 'discipline') });
      const period = refs.period(cell(row, 'period'));
      if (cell(row, 'period') && !period) problem(row, 'period', 'UNKNOWN_PERIOD', { value: cell(row, 'period') });
      const teacher = refs.person(cell(row, 'teacher'));
      if (cell(row, 'teacher') && !teacher) problem(row, 'teacher', 'UNKNOWN_TEACHER', { value: cell(row, 'teacher') });
      else if (teacher && !mayTeachExam(teacher))
        problem(row, 'teacher', 'NOT_A_TEACHER', { value: cell(row, 'teacher') });
      const enrolled: User[] = [];
      for (const value of new Set(students)) {
        const student = refs.person(value);
        if (!student) problem(row, 'students', 'UNKNOWN_STUDENT', { value });
        else if (!mayBeEnrolled(student)) problem(row, 'students', 'NOT_A_STUDENT', { value });
        else enrolled.push(student);
      }
      let startsAt: Date | null = null;
      let endsAt: Date | null = null;
      if (date && start && end) {
        startsAt = localInstant(date, start, this.config.timeZone);
        endsAt = localInstant(date, end, this.config.timeZone);
        // a row's exam lies within one day, so of the time rules only the order of start and end can fail
        if (examTimesProblem(startsAt, endsAt)) problem(row, 'end', 'END_NOT_AFTER_START');
      }
      if (date && period && !examDayInPeriod(date, period))
        problem(row, 'date', 'OUTSIDE_PERIOD', { startsOn: period.startsOn, endsOn: period.endsOn });
      if (problems.length > before || !period || !discipline || !teacher || !format || !startsAt || !endsAt)
        return null;
      return {
        row,
        period,
        discipline,
        teacher,
        students: enrolled,
        startsAt,
        endsAt,
        format,
        ticketAssignment: format === ExamFormat.TICKETS ? (ticketAssignment ?? TicketAssignment.STUDENT_CHOICE) : null,
        externalId: cell(row, 'externalId') || null,
      };
    });

    const matches = await this.existing(
      em,
      planned.filter((p): p is Planned => !!p),
    );
    const seen = new Map<string, number>();
    let created = 0;
    let updated = 0;
    let unchanged = 0;
    for (const [index, row] of rows.entries()) {
      const plan = planned[index];
      const result: ScheduleRowResult = {
        row: row.line,
        outcome: ScheduleRowOutcome.PROBLEM,
        examId: null,
        discipline: cell(row, 'discipline') || null,
        teacher: cell(row, 'teacher') || null,
        date: cell(row, 'date') || null,
        start: cell(row, 'start') || null,
      };
      results.push(result);
      if (!plan) continue;
      const exam = matches.get(plan);
      const keys = [
        naturalKey(plan),
        ...(plan.externalId ? [`id:${plan.externalId}`] : []),
        ...(exam ? [`exam:${exam.id}`] : []),
      ];
      const earlier = keys.map((k) => seen.get(k)).find((line) => line !== undefined);
      if (earlier !== undefined) {
        problem(row, null, 'DUPLICATE_ROW', { row: earlier });
        continue;
      }
      for (const key of keys) seen.set(key, row.line);
      if (exam && (await this.matchesRow(em, exam, plan))) {
        result.outcome = ScheduleRowOutcome.UNCHANGED;
        result.examId = exam.id;
        unchanged++;
        continue;
      }
      const input = {
        periodId: plan.period.id,
        disciplineId: plan.discipline.id,
        teacherId: plan.teacher.id,
        startsAt: plan.startsAt,
        endsAt: plan.endsAt,
        format: plan.format,
        ticketAssignment: plan.ticketAssignment,
        taskText: exam?.taskText ?? null,
        studentIds: plan.students.map((s) => s.id),
      };
      try {
        if (exam) {
          await this.exams.updateUnsaved(em, exam, input);
          if (plan.externalId) exam.externalId = plan.externalId;
          changed.push(exam);
          result.outcome = ScheduleRowOutcome.UPDATED;
          result.examId = exam.id;
          updated++;
        } else {
          const made = await this.exams.createUnsaved(em, input);
          made.externalId = plan.externalId;
          result.outcome = ScheduleRowOutcome.CREATED;
          result.examId = dryRun ? null : made.id;
          created++;
        }
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        problem(row, null, 'REFUSED', { reason: error.message });
      }
    }
    for (const result of results)
      if (problems.some((p) => p.row === result.row)) result.outcome = ScheduleRowOutcome.PROBLEM;
    problems.sort((a, b) => a.row - b.row);
    return { dryRun, created, updated, unchanged, rows: results, problems };
  }

  /** Every discipline, period and person the rows name, each kind in one query, found by its key or external id. */
  private async references(
    em: EntityManager,
    rows: ScheduleRow[],
    cell: (row: ScheduleRow, c: ScheduleColumn) => string,
  ) {
    const values = (column: ScheduleColumn) => [...new Set(rows.map((r) => cell(r, column)).filter(Boolean))];
    const disciplineKeys = values('discipline');
    const people = [
      ...new Set([...values('teacher'), ...rows.flatMap((r) => (r.students ?? []).map((s) => s.trim()))]),
    ].filter(Boolean);
    const periodKeys = values('period');
    const yearTitles = periodKeys.flatMap((k) => /^(.+)\/(\d+)$/.exec(k)?.[1] ?? []);
    // one after another: inside the import's transaction they share one connection
    const disciplines = disciplineKeys.length
      ? await em.find(Discipline, { $or: [{ code: { $in: disciplineKeys } }, { externalId: { $in: disciplineKeys } }] })
      : [];
    const users = people.length
      ? await em.find(User, { $or: [{ login: { $in: people } }, { externalId: { $in: people } }] })
      : [];
    const periods = periodKeys.length ? await em.find(Period, { externalId: { $in: periodKeys } }) : [];
    const years = yearTitles.length
      ? await em.find(AcademicYear, { title: { $in: yearTitles } }, { populate: ['periods'] })
      : [];
    const index = <T>(items: T[], ...keys: ((item: T) => string | null | undefined)[]) => {
      const map = new Map<string, T>();
      for (const key of [...keys].reverse()) for (const item of items) if (key(item)) map.set(key(item)!, item);
      return map; // the first key wins: a login before an external id that happens to read the same
    };
    const disciplineBy = index(
      disciplines,
      (d) => d.code,
      (d) => d.externalId,
    );
    const personBy = index(
      users,
      (u) => u.login,
      (u) => u.externalId,
    );
    const periodBy = index(periods, (p) => p.externalId);
    for (const year of years)
      for (const p of year.periods)
        if (!periodBy.has(`${year.title}/${p.number}`)) periodBy.set(`${year.title}/${p.number}`, p);
    return {
      discipline: (key: string) => disciplineBy.get(key),
      person: (key: string) => personBy.get(key),
      period: (key: string) => periodBy.get(key),
    };
  }

  /** The exams the rows name: by external id, else by discipline, period, teacher and start. */
  private async existing(em: EntityManager, plans: Planned[]): Promise<Map<Planned, Exam>> {
    const ids = plans.flatMap((p) => (p.externalId ? [p.externalId] : []));
    const byId = ids.length ? await em.find(Exam, { externalId: { $in: ids } }) : [];
    const byKey = plans.length
      ? await em.find(Exam, {
          period: { $in: [...new Set(plans.map((p) => p.period.id))] },
          discipline: { $in: [...new Set(plans.map((p) => p.discipline.id))] },
          startsAt: { $in: plans.map((p) => p.startsAt) },
        })
      : [];
    const idMap = new Map(byId.map((e) => [e.externalId!, e]));
    const keyMap = new Map(byKey.map((e) => [examKey(e), e]));
    const found = new Map<Planned, Exam>();
    for (const plan of plans) {
      const exam = (plan.externalId && idMap.get(plan.externalId)) || keyMap.get(naturalKey(plan));
      // an exam the system already knows under another external id is another exam
      if (exam && (!plan.externalId || !exam.externalId || exam.externalId === plan.externalId)) found.set(plan, exam);
    }
    return found;
  }

  /** The exam already is what the row says: times, format, ticket mode, people, external id and students. */
  private async matchesRow(em: EntityManager, exam: Exam, plan: Planned): Promise<boolean> {
    if (
      examKey(exam) !== naturalKey(plan) ||
      exam.endsAt.getTime() !== plan.endsAt.getTime() ||
      exam.format !== plan.format ||
      (exam.ticketAssignment ?? null) !== plan.ticketAssignment ||
      (plan.externalId !== null && exam.externalId !== plan.externalId)
    )
      return false;
    const sittings = await em.find(Sitting, { exam: exam.id });
    const have = new Set(sittings.map((s) => s.student.id));
    return have.size === plan.students.length && plan.students.every((s) => have.has(s.id));
  }
}

const naturalKey = (p: Planned) => `${p.discipline.id}|${p.period.id}|${p.teacher.id}|${p.startsAt.getTime()}`;
const examKey = (e: Exam) => `${e.discipline.id}|${e.period.id}|${e.teacher.id}|${e.startsAt.getTime()}`;
