import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { withErrorCodes } from '../../common/errors';
import { Role } from '../users/user.entity';
import { ScheduleImportReport, ScheduleRowInput } from './schedule-import.types';

@Resolver()
export class ScheduleImportResolver {
  @Authorized(Role.STAFF)
  @Mutation(() => ScheduleImportReport, {
    description: withErrorCodes(
      'Staff, for other systems: imports an examination period\'s exams, with the same rules as the schedule file upload (README "Importing a schedule"). A dry run reports every row\'s problems and what would change, writing nothing; otherwise all rows are written in one transaction, or none when any has a problem (SCHEDULE_HAS_PROBLEMS with extensions.problems). The same rows again change nothing. IMPORT_FILE_INVALID when there are no rows or more than IMPORT_MAX_ROWS (issue 13).',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'BAD_USER_INPUT',
      'IMPORT_FILE_INVALID',
      'SCHEDULE_HAS_PROBLEMS',
    ),
  })
  importSchedule(
    @Ctx() ctx: Context,
    @Arg('rows', () => [ScheduleRowInput], { description: 'one exam per row; a problem names its place here (from 1)' })
    rows: ScheduleRowInput[],
    @Arg('dryRun', { description: 'true: only check and report; false: import' }) dryRun: boolean,
  ): Promise<ScheduleImportReport> {
    return ctx.services.scheduleImport.run(
      ctx.em,
      rows.map((row, i) => ({ ...row, line: i + 1 })),
      dryRun,
    );
  }
}
