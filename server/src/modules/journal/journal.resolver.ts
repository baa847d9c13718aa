import { Arg, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { loadersOf } from '../../loaders';
import { GradeChange } from '../grades/grade-change.entity';
import type { Context } from '../../context';
import { requireUser } from '../../common/auth';
import { withErrorCodes } from '../../common/errors';
import { Role } from '../users/user.entity';
import { JournalRow } from './journal-row.type';

@Resolver()
export class JournalResolver {
  @Authorized(Role.STAFF, Role.TEACHER)
  @Query(() => [JournalRow], {
    description: withErrorCodes(
      'The grades of a discipline in a period, a row per enrolled student and exam (R7.7): every exam for staff, the exams they teach for a teacher.',
      'UNAUTHENTICATED',
      'FORBIDDEN',
    ),
  })
  journal(
    @Ctx() ctx: Context,
    @Arg('disciplineId', () => ID, { description: 'The discipline (Discipline.id).' }) disciplineId: string,
    @Arg('periodId', () => ID, { description: 'The academic period (Period.id).' }) periodId: string,
  ): Promise<JournalRow[]> {
    return ctx.services.journal.ofDiscipline(ctx.em, requireUser(ctx), disciplineId, periodId);
  }

  @Authorized()
  @Query(() => [JournalRow], {
    description: withErrorCodes(
      "The calling person's own results in a year, optionally one period: a row per exam they are enrolled at.",
      'UNAUTHENTICATED',
    ),
  })
  myJournal(
    @Ctx() ctx: Context,
    @Arg('academicYearId', () => ID, { description: 'The academic year (AcademicYear.id).' }) academicYearId: string,
    @Arg('periodId', () => ID, { nullable: true, description: 'One period of that year; omitted: the whole year.' })
    periodId?: string,
  ): Promise<JournalRow[]> {
    return ctx.services.journal.ofStudent(ctx.em, requireUser(ctx), academicYearId, periodId);
  }
}

/** issue 12: a journal row's grade history (the rows are published grades or drafts without history) */
@Resolver(() => JournalRow)
export class JournalRowResolver {
  @FieldResolver(() => ID, { description: "The row's sitting (e.g. for correctGrade)." })
  sittingId(@Root() row: JournalRow): string {
    return row.sitting.id;
  }

  @FieldResolver(() => [GradeChange], {
    description: "The published grade's history, oldest first (empty until the grade is published).",
  })
  gradeHistory(@Root() row: JournalRow, @Ctx() ctx: Context): Promise<GradeChange[]> | GradeChange[] {
    return row.grade ? loadersOf(ctx).gradeHistory.load(row.sitting.id) : [];
  }
}
