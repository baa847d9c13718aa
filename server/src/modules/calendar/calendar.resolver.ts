import { Arg, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { isPlainRead, related } from '../../common/loaded';
import { Role } from '../users/user.entity';
import { AcademicYear, Discipline, Period } from './calendar.entity';
import { AcademicYearInput, DisciplineInput } from './calendar.inputs';

@Resolver(() => AcademicYear)
export class AcademicYearResolver {
  @Authorized()
  @Query(() => [AcademicYear])
  academicYears(@Ctx() ctx: Context): Promise<AcademicYear[]> {
    return ctx.em.find(AcademicYear, {}, { orderBy: { startsOn: 'desc' }, populate: ['periods'] });
  }

  @FieldResolver(() => [Period])
  async periods(@Root() year: AcademicYear, @Ctx() ctx: Context): Promise<Period[]> {
    if (isPlainRead(year)) return ctx.em.find(Period, { academicYear: year.id }, { orderBy: { number: 'asc' } });
    await ctx.em.populate(year, ['periods']);
    return year.periods.getItems();
  }

  @Authorized()
  @Query(() => [Discipline])
  disciplines(@Ctx() ctx: Context): Promise<Discipline[]> {
    return ctx.em.find(Discipline, {}, { orderBy: { title: 'asc' } });
  }

  @Authorized(Role.STAFF)
  @Mutation(() => [Discipline], {
    description:
      'other systems: create or update disciplines by external id when given, else by code; the same list twice changes nothing (EXTERNAL_ID_CLASH when an id belongs to another code)',
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
    description:
      'other systems: create or update academic years (by external id, else title) and their periods (by external id, else number); the same list twice changes nothing',
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
  @FieldResolver(() => AcademicYear)
  academicYear(@Root() period: Period, @Ctx() ctx: Context): Promise<AcademicYear> {
    return related(ctx.em, period, 'academicYear');
  }
}
