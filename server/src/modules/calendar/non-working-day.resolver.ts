import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { LocalDateScalar } from '../../common/scalars';
import { Role } from '../users/user.entity';
import { NonWorkingDay } from './non-working-day.entity';

/** Staff keep the table of non-working days (holidays, moved days off); weekends need no row. */
@Resolver(() => NonWorkingDay)
export class NonWorkingDayResolver {
  @Authorized(Role.STAFF)
  @Query(() => [NonWorkingDay], { description: 'staff: the non-working days besides weekends, oldest first' })
  nonWorkingDays(
    @Ctx() ctx: Context,
    @Arg('from', () => LocalDateScalar, { nullable: true, description: 'from this date on (inclusive)' })
    from?: string | null,
    @Arg('to', () => LocalDateScalar, { nullable: true, description: 'up to this date (inclusive)' })
    to?: string | null,
  ): Promise<NonWorkingDay[]> {
    return ctx.services.calendar.list(ctx.em, from, to);
  }

  @Authorized(Role.STAFF)
  @Mutation(() => NonWorkingDay, {
    description: 'staff: makes a date a non-working day (a holiday or a moved day off)',
  })
  addNonWorkingDay(
    @Ctx() ctx: Context,
    @Arg('date', () => LocalDateScalar, { description: 'the date, YYYY-MM-DD' }) date: string,
    @Arg('title', () => String, { description: 'what the day is, 1–200 characters' }) title: string,
  ): Promise<NonWorkingDay> {
    return ctx.services.calendar.add(ctx.em, date, title);
  }

  @Authorized(Role.STAFF)
  @Mutation(() => Boolean, { description: 'staff: makes a date a working day again (weekends stay non-working)' })
  removeNonWorkingDay(
    @Ctx() ctx: Context,
    @Arg('date', () => LocalDateScalar, { description: 'the date, YYYY-MM-DD' }) date: string,
  ): Promise<boolean> {
    return ctx.services.calendar.remove(ctx.em, date);
  }
}
