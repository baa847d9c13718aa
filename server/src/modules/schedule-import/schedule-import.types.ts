import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { SCHEDULE_PROBLEM_CODES, type ScheduleColumn, type ScheduleProblemCode } from '../../rules';

const enumOf = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const ScheduleProblemCodes = enumOf(SCHEDULE_PROBLEM_CODES);
registerEnumType(ScheduleProblemCodes, {
  name: 'ScheduleProblemCode',
  description: "issue 13: what is wrong with a row of a schedule import; `params` fill the web app's sentence for it",
  valuesConfig: {
    REQUIRED: { description: 'a required cell is empty' },
    CELL_TOO_LONG: { description: 'the cell is longer than IMPORT_MAX_CELL_CHARS (params: max)' },
    BAD_DATE: { description: 'the date is not YYYY-MM-DD or DD.MM.YYYY, or no such day (params: value)' },
    BAD_TIME: { description: 'the time is not HH:MM (params: value)' },
    BAD_FORMAT: { description: 'the format is not TICKETS or TASK (params: value)' },
    BAD_TICKET_MODE: { description: 'the ticket mode is not STUDENT_CHOICE, RANDOM or STAFF (params: value)' },
    TICKET_MODE_FOR_TASK: { description: 'a task exam has no tickets, so its ticket mode stays empty' },
    UNKNOWN_DISCIPLINE: { description: 'no discipline has this code or external id (params: value)' },
    UNKNOWN_PERIOD: { description: 'no period has this external id or year/number (params: value)' },
    UNKNOWN_TEACHER: { description: 'no person has this login or external id (params: value)' },
    NOT_A_TEACHER: { description: 'the person is not a teacher (params: value)' },
    UNKNOWN_STUDENT: { description: 'no person has this login or external id (params: value)' },
    NOT_A_STUDENT: { description: 'the person is not a student (params: value)' },
    END_NOT_AFTER_START: { description: 'the end is not after the start' },
    OUTSIDE_PERIOD: { description: "the date is outside the period's dates (params: startsOn, endsOn)" },
    DUPLICATE_ROW: { description: 'an earlier row is the same exam (params: row)' },
    REFUSED: {
      description: "the exam's rules refused the change, e.g. a student who entered cannot be removed (params: reason)",
    },
  },
});

@InputType({
  description:
    'issue 13: one exam of a schedule, as a row of the schedule file has it (strings, checked like the file; README "Importing a schedule")',
})
export class ScheduleRowInput {
  @Field(() => String, { nullable: true, description: "the discipline's code or external id" })
  discipline?: string | null;
  @Field(() => String, { nullable: true, description: "the teacher's login or external id" })
  teacher?: string | null;
  @Field(() => String, { nullable: true, description: "the period's external id, or year title/number (2026-2027/1)" })
  period?: string | null;
  @Field(() => String, { nullable: true, description: 'the day, YYYY-MM-DD or DD.MM.YYYY' })
  date?: string | null;
  @Field(() => String, { nullable: true, description: 'the start, HH:MM on the university clock (TIME_ZONE)' })
  start?: string | null;
  @Field(() => String, { nullable: true, description: 'the end, HH:MM on the university clock, the same day' })
  end?: string | null;
  @Field(() => String, { nullable: true, description: 'TICKETS or TASK' })
  format?: string | null;
  @Field(() => String, { nullable: true, description: 'STUDENT_CHOICE (the default), RANDOM or STAFF; empty for TASK' })
  ticketMode?: string | null;
  @Field(() => [String], { nullable: true, description: "the enrolled students' logins or external ids" })
  students?: string[] | null;
  @Field(() => String, {
    nullable: true,
    description: "the student information system's own key of the exam; the exam is matched by it when given",
  })
  externalId?: string | null;
}

@ObjectType({ description: 'issue 13: a named value that fills the sentence of a schedule problem' })
export class ScheduleProblemParam {
  @Field({ description: 'the placeholder, e.g. value, max, row, startsOn' }) name!: string;
  @Field({ description: 'its value, as text' }) value!: string;
}

@ObjectType({ description: 'issue 13: one problem of one row of a schedule import' })
export class ScheduleProblem {
  @Field(() => Int, {
    description:
      "the row: a file's line (the header is 1, so the first exam is 2); importSchedule's place in rows (from 1)",
  })
  row!: number;
  @Field(() => String, {
    nullable: true,
    description:
      "the column at fault as a file's header names it (discipline, teacher, period, date, start, end, format, ticketMode, students, externalId); null for the row as a whole",
  })
  column!: ScheduleColumn | null;
  @Field(() => ScheduleProblemCodes, { description: 'what is wrong; the web app words it from this and params' })
  code!: ScheduleProblemCode;
  @Field(() => [ScheduleProblemParam], { description: 'the values the sentence names' })
  params!: ScheduleProblemParam[];
  @Field({ description: 'the problem in English (the web app shows its own words in the reader’s language)' })
  message!: string;
}

export enum ScheduleRowOutcome {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  UNCHANGED = 'UNCHANGED',
  PROBLEM = 'PROBLEM',
}
registerEnumType(ScheduleRowOutcome, {
  name: 'ScheduleRowOutcome',
  description: 'issue 13: what the import does (dry run: would do) with a row',
  valuesConfig: {
    CREATED: { description: 'a new exam' },
    UPDATED: { description: 'an existing exam is changed to the row' },
    UNCHANGED: { description: 'an existing exam already is as the row says' },
    PROBLEM: { description: 'the row has problems; nothing is imported while any row has one' },
  },
});

@ObjectType({ description: 'issue 13: one row of a schedule import and what becomes of it' })
export class ScheduleRowResult {
  @Field(() => Int, { description: 'the row, numbered as in ScheduleProblem.row' }) row!: number;
  @Field(() => ScheduleRowOutcome, { description: 'what the import does with it' }) outcome!: ScheduleRowOutcome;
  @Field(() => ID, { nullable: true, description: 'the exam it matched or (not a dry run) created' })
  examId!: string | null;
  @Field(() => String, { nullable: true, description: 'the discipline cell as given' }) discipline!: string | null;
  @Field(() => String, { nullable: true, description: 'the teacher cell as given' }) teacher!: string | null;
  @Field(() => String, { nullable: true, description: 'the date cell as read' }) date!: string | null;
  @Field(() => String, { nullable: true, description: 'the start cell as read' }) start!: string | null;
}

@ObjectType({ description: 'issue 13: what a schedule import did, or (dry run) would do' })
export class ScheduleImportReport {
  @Field({ description: 'true: nothing was written' }) dryRun!: boolean;
  @Field(() => Int, { description: 'new exams' }) created!: number;
  @Field(() => Int, { description: 'existing exams changed' }) updated!: number;
  @Field(() => Int, { description: 'existing exams that already matched their row' }) unchanged!: number;
  @Field(() => [ScheduleRowResult], { description: 'every row, in order' }) rows!: ScheduleRowResult[];
  @Field(() => [ScheduleProblem], {
    description: 'every problem of every row; empty when the schedule may be imported',
  })
  problems!: ScheduleProblem[];
}
