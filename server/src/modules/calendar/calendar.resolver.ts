import { withErrorCodes } from '../../common/errors';
import { Arg, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { isPlainRead, related } from '../../common/loaded';
import { Role } from '../users/user.entity';
import { AcademicYear, Discipline, Period } from './calendar.entity';
import { AcademicYearInput, DisciplineInput } from './calendar.inputs';

@Resolver(() => AcademicYear)
export class AcademicYearResolver {
  @Authorized()
  @Query(() => [AcademicYear], {
    description: withErrorCodes('Every academic year, the latest first, with its periods.', 'UNAUTHENTICATED'),
  })
  academicYears(@Ctx() ctx: Context): Promise<AcademicYear[]> {
    return ctx.em.find(AcademicYear, {}, { orderBy: { startsOn: 'desc' }, populate: ['periods'] });
  }

  @FieldResolver(() => [Period], { description: 'Its periods, by number.' })
  async periods(@Root() year: AcademicYear, @Ctx() ctx: Context): Promise<Period[]> {
    if (isPlainRead(year)) return ctx.em.find(Period, { academicYear: year.id }, { orderBy: { number: 'asc' } });
    await ctx.em.populate(year, ['periods']);
    return year.periods.getItems();
  }

  @Authorized()
  @Query(() => [Discipline], {
    description: withErrorCodes('Every discipline, by name.', 'UNAUTHENTICATED'),
  })
  disciplines(@Ctx() ctx: Context): Promise<Discipline[]> {
    return ctx.em.find(Discipline, {}, { orderBy: { title: 'asc' } });
  }

  @Authorized(Role.STAFF)
  @Mutation(() => [Discipline], {
    description: withErrorCodes(
      'Staff, for other systems: creates or updates disciplines, found by external id when given, else by code; the same list twice changes nothing, and nothing is written when one is refused. Returns them in the order sent.',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'BAD_USER_INPUT',
      'EXTERNAL_ID_CLASH',
    ),
  })
  upsertDisciplines(
    @Ctx() ctx: Context,
    @Arg('disciplines', () => [DisciplineInput], { description: 'at most 5000 disciplines, each code once' })
    disciplines: DisciplineInput[],
  ): Promise<Discipline[]> {
    return ctx.services.academicCalendar.upsertDisciplines(ctx.em, disciplines);
  }

  @Authorized(Role.STAFF)
  @Mutation(() => [AcademicYear], {
    description: withErrorCodes(
      'Staff, for other systems: creates or updates academic years (found by external id, else title) and their periods (by external id, else number in the year); the same list twice changes nothing, and nothing is written when one is refused.',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'BAD_USER_INPUT',
      'EXTERNAL_ID_CLASH',
    ),
  })
  upsertAcademicYears(
    @Ctx() ctx: Context,
    @Arg('years', () => [AcademicYearInput], { description: 'at most 100 academic years, each title once' })
    years: AcademicYearInput[],
  ): Promise<AcademicYear[]> {
    return ctx.services.academicCalendar.upsertAcademicYears(ctx.em, years);
  }
}

@Resolver(() => Period)
export class PeriodResolver {
  @FieldResolver(() => AcademicYear, { description: 'The academic year it belongs to.' })
  academicYear(@Root() period: Period, @Ctx() ctx: Context): Promise<AcademicYear> {
    return related(ctx.em, period, 'academicYear');
  }
}
