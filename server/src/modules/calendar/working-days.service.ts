import type { EntityManager } from '@mikro-orm/core';
import type { Config } from '../../config';
import { BadUserInputError, isUniqueViolation, NotFoundError } from '../../common/errors';
import { appealDeadline } from '../../rules/working-days';
import { NonWorkingDay } from './non-working-day.entity';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The university's working days: weekends by rule, holidays and moved days off as rows of `non_working_days`
 * (seeded with Kazakhstan's public holidays by the migration; staff keep the table). The table is small: one
 * operation reads it once.
 */
export class WorkingDayCalendar {
  private readonly read = new WeakMap<EntityManager, Promise<Set<string>>>();

  constructor(private readonly config: Pick<Config, 'timeZone' | 'appealWorkingDays'>) {}

  /** every non-working date of the table, read once per operation (per forked EntityManager) */
  nonWorkingDates(em: EntityManager): Promise<Set<string>> {
    let dates = this.read.get(em);
    if (!dates) {
      dates = em
        .find(NonWorkingDay, {}, { fields: ['date'], disableIdentityMap: true })
        .then((rows) => new Set(rows.map((r) => r.date)));
      this.read.set(em, dates);
    }
    return dates;
  }

  /** The appeal window's end for a grade published at `publishedAt`: the end of the APPEAL_WORKING_DAYS-th working day after. */
  async appealDeadline(em: EntityManager, publishedAt: Date): Promise<Date> {
    const dates = await this.nonWorkingDates(em);
    return appealDeadline(publishedAt, this.config.appealWorkingDays, this.config.timeZone, (d) => dates.has(d));
  }

  list(em: EntityManager, from?: string | null, to?: string | null): Promise<NonWorkingDay[]> {
    const date: Record<string, string> = {};
    if (from) date.$gte = from;
    if (to) date.$lte = to;
    return em.find(NonWorkingDay, Object.keys(date).length ? { date } : {}, { orderBy: { date: 'asc' } });
  }

  async add(em: EntityManager, date: string, title: string): Promise<NonWorkingDay> {
    const name = title.trim();
    if (!DATE.test(date)) throw new BadUserInputError('Give the date as YYYY-MM-DD.');
    if (!name || name.length > 200) throw new BadUserInputError('Give the day a title of 1–200 characters.');
    const day = em.create(NonWorkingDay, { date, title: name });
    try {
      await em.flush();
    } catch (error) {
      if (isUniqueViolation(error))
        throw new BadUserInputError(`${date} is already a non-working day; remove it first to rename it.`);
      throw error;
    }
    this.read.delete(em);
    return day;
  }

  async remove(em: EntityManager, date: string): Promise<boolean> {
    const removed = await em.nativeDelete(NonWorkingDay, { date });
    if (!removed) throw new NotFoundError(`${date} is not in the table of non-working days.`);
    this.read.delete(em);
    return true;
  }
}
