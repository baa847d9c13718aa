import { withErrorCodes } from '../../common/errors';
import { Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { isPlainRead, related } from '../../common/loaded';
import { AcademicYear, Discipline, Period } from './calendar.entity';

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
}

@Resolver(() => Period)
export class PeriodResolver {
  @FieldResolver(() => AcademicYear, { description: 'The academic year it belongs to.' })
  academicYear(@Root() period: Period, @Ctx() ctx: Context): Promise<AcademicYear> {
    return related(ctx.em, period, 'academicYear');
  }
}
