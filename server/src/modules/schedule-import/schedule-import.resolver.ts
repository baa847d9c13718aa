import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { Role } from '../users/user.entity';
import { ScheduleImportReport, ScheduleRowInput } from './schedule-import.types';

@Resolver()
export class ScheduleImportResolver {
  @Authorized(Role.STAFF)
  @Mutation(() => ScheduleImportReport, {
    description:
      'issue 13: import an examination period\'s exams (the same rules as the schedule file upload, README "Importing a schedule"). dryRun: every row\'s problems and what would change, nothing written. Otherwise all rows in one transaction, or none when any has a problem (SCHEDULE_HAS_PROBLEMS with extensions.problems); the same rows again change nothing. IMPORT_FILE_INVALID when there are no rows or more than IMPORT_MAX_ROWS.',
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
