import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Page } from '../../common/connection';
import { loadersOf } from '../../loaders';
import { GradeChange } from '../grades/grade-change.entity';
import type { Context } from '../../context';
import { requireUser } from '../../common/auth';
import { Role } from '../users/user.entity';
import { JournalConnectionArgs, JournalRow, JournalRowConnection } from './journal-row.type';

@Resolver()
export class JournalResolver {
  @Authorized(Role.STAFF, Role.TEACHER)
  @Query(() => [JournalRow], {
    description: 'R7.7: grades of a discipline in a period (a teacher sees the exams they teach)',
  })
  journal(
    @Ctx() ctx: Context,
    @Arg('disciplineId', () => ID) disciplineId: string,
    @Arg('periodId', () => ID) periodId: string,
  ): Promise<JournalRow[]> {
    return ctx.services.journal.ofDiscipline(ctx.em, requireUser(ctx), disciplineId, periodId);
  }

  @Authorized(Role.STAFF, Role.TEACHER)
  @Query(() => JournalRowConnection, {
    description:
      'issue 13: the rows of `journal` a page at a time (a teacher sees the exams they teach), searched by student (API clients: grades:read)',
  })
  journalConnection(
    @Ctx() ctx: Context,
    @Args(() => JournalConnectionArgs) args: JournalConnectionArgs,
  ): Promise<Page<JournalRow>> {
    return ctx.services.journal.page(ctx.em, requireUser(ctx), args, args);
  }

  @Authorized()
  @Query(() => [JournalRow], { description: "the calling student's own grades" })
  myJournal(
    @Ctx() ctx: Context,
    @Arg('academicYearId', () => ID) academicYearId: string,
    @Arg('periodId', () => ID, { nullable: true }) periodId?: string,
  ): Promise<JournalRow[]> {
    return ctx.services.journal.ofStudent(ctx.em, requireUser(ctx), academicYearId, periodId);
  }
}

/** issue 12: a journal row's grade history (the rows are published grades or drafts without history) */
@Resolver(() => JournalRow)
export class JournalRowResolver {
  @FieldResolver(() => ID, { description: "the row's sitting (e.g. for correctGrade)" })
  sittingId(@Root() row: JournalRow): string {
    return row.sitting.id;
  }

  @FieldResolver(() => [GradeChange], {
    description: "the published grade's history, oldest first (empty until the grade is published)",
  })
  gradeHistory(@Root() row: JournalRow, @Ctx() ctx: Context): Promise<GradeChange[]> | GradeChange[] {
    return row.grade ? loadersOf(ctx).gradeHistory.load(row.sitting.id) : [];
  }
}
