import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { withErrorCodes } from '../../common/errors';
import { LocalDateScalar } from '../../common/scalars';
import { Role } from '../users/user.entity';
import { NonWorkingDay } from './non-working-day.entity';

/** Staff keep the table of non-working days (holidays, moved days off); weekends need no row. */
@Resolver(() => NonWorkingDay)
export class NonWorkingDayResolver {
  @Authorized(Role.STAFF)
  @Query(() => [NonWorkingDay], {
    description: withErrorCodes(
      'Staff: the days the university does not work besides Saturdays and Sundays (public holidays, days off moved to a weekday), oldest first. The appeal window (Sitting.appealDeadline) counts working days over them.',
      'UNAUTHENTICATED',
      'FORBIDDEN',
    ),
  })
  nonWorkingDays(
    @Ctx() ctx: Context,
    @Arg('from', () => LocalDateScalar, {
      nullable: true,
      description: 'Only days on or after this date; null: from the first.',
    })
    from?: string | null,
    @Arg('to', () => LocalDateScalar, {
      nullable: true,
      description: 'Only days on or before this date; null: up to the last.',
    })
    to?: string | null,
  ): Promise<NonWorkingDay[]> {
    return ctx.services.calendar.list(ctx.em, from, to);
  }

  @Authorized(Role.STAFF)
  @Mutation(() => NonWorkingDay, {
    description: withErrorCodes(
      'Staff make a date a non-working day (a holiday, or a day off moved by the government). Open appeal windows that span it move at once: deadlines are computed from the table when asked.',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'BAD_USER_INPUT',
    ),
  })
  addNonWorkingDay(
    @Ctx() ctx: Context,
    @Arg('date', () => LocalDateScalar, {
      description: "The date on the university's calendar, YYYY-MM-DD; not already in the table.",
    })
    date: string,
    @Arg('title', () => String, { description: 'What the day is, 1 to 200 characters, e.g. «Наурыз мейрамы».' })
    title: string,
  ): Promise<NonWorkingDay> {
    return ctx.services.calendar.add(ctx.em, date, title);
  }

  @Authorized(Role.STAFF)
  @Mutation(() => Boolean, {
    description: withErrorCodes(
      'Staff make a date a working day again by removing it from the table (Saturdays and Sundays stay non-working). Answers true.',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'BAD_USER_INPUT',
    ),
  })
  removeNonWorkingDay(
    @Ctx() ctx: Context,
    @Arg('date', () => LocalDateScalar, { description: 'The date to remove, YYYY-MM-DD; it must be in the table.' })
    date: string,
  ): Promise<boolean> {
    return ctx.services.calendar.remove(ctx.em, date);
  }
}
