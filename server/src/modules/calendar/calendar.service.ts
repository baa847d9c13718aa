import type { EntityManager } from '@mikro-orm/core';
import { BadUserInputError, ExternalIdClashError } from '../../common/errors';
import { AcademicYear, Discipline, Period } from './calendar.entity';
import type { AcademicYearInput, DisciplineInput, PeriodInput } from './calendar.inputs';

const MAX_PER_REQUEST = 5000;

/** Trimmed, at most `max` characters, not empty. */
function text(value: string | null | undefined, what: string, max: number): string {
  const trimmed = value?.trim() ?? '';
  if (!trimmed) throw new BadUserInputError(`The ${what} is empty.`);
  if (trimmed.length > max) throw new BadUserInputError(`The ${what} "${trimmed}" is longer than ${max} characters.`);
  return trimmed;
}

const externalIdOf = (value: string | null | undefined, what: string): string | null =>
  value?.trim() ? text(value, `external id of ${what}`, 100) : null;

function assertUnique(values: readonly (string | number | null)[], what: string): void {
  const given = values.filter((v) => v !== null);
  if (new Set(given).size !== given.length)
    throw new BadUserInputError(`Each ${what} may appear only once in one request.`);
}

function assertDates(startsOn: string, endsOn: string, what: string): void {
  if (endsOn < startsOn) throw new BadUserInputError(`The ${what} ends (${endsOn}) before it starts (${startsOn}).`);
}

/**
 * An external id names one row for good: matched by it first, else by the row's own key; an id that belongs to a row
 * with another key, or a row that already has another id, is refused (EXTERNAL_ID_CLASH).
 */
function matchByExternalId<T extends { externalId?: string | null }>(
  externalId: string | null,
  key: string,
  byExternalId: Map<string, T>,
  byKey: Map<string, T>,
  keyOf: (row: T) => string,
  what: string,
): T | undefined {
  const owner = externalId ? byExternalId.get(externalId) : undefined;
  if (externalId && owner && keyOf(owner) !== key)
    throw new ExternalIdClashError(
      `The external id "${externalId}" belongs to the ${what} "${keyOf(owner)}", not "${key}".`,
      externalId,
      key,
    );
  const row = owner ?? byKey.get(key);
  if (externalId && row?.externalId && row.externalId !== externalId)
    throw new ExternalIdClashError(
      `The ${what} "${key}" already has the external id "${row.externalId}", not "${externalId}".`,
      externalId,
      key,
    );
  return row;
}

/** issue 13: the student information system loads the calendar by its own keys; sending the same twice changes nothing. */
export class CalendarService {
  async upsertDisciplines(em: EntityManager, inputs: DisciplineInput[]): Promise<Discipline[]> {
    if (inputs.length > MAX_PER_REQUEST)
      throw new BadUserInputError(`Send at most ${MAX_PER_REQUEST} disciplines at once.`);
    const rows = inputs.map((input) => ({
      code: text(input.code, 'discipline code', 50),
      title: text(input.title, `title of ${input.code}`, 300),
      externalId: externalIdOf(input.externalId, input.code),
    }));
    assertUnique(
      rows.map((r) => r.code),
      'discipline code',
    );
    assertUnique(
      rows.map((r) => r.externalId),
      'external id',
    );
    const ids = rows.flatMap((r) => (r.externalId ? [r.externalId] : []));
    const found = await em.find(Discipline, {
      $or: [{ code: { $in: rows.map((r) => r.code) } }, ...(ids.length ? [{ externalId: { $in: ids } }] : [])],
    });
    const byCode = new Map(found.map((d) => [d.code, d]));
    const byExternalId = new Map(found.filter((d) => d.externalId).map((d) => [d.externalId!, d]));
    const disciplines = rows.map((row) => {
      const discipline =
        matchByExternalId(row.externalId, row.code, byExternalId, byCode, (d) => d.code, 'discipline') ??
        em.create(Discipline, { code: row.code, title: row.title });
      discipline.title = row.title;
      if (row.externalId) discipline.externalId = row.externalId;
      return discipline;
    });
    await em.flush();
    return disciplines;
  }

  async upsertAcademicYears(em: EntityManager, inputs: AcademicYearInput[]): Promise<AcademicYear[]> {
    if (inputs.length > 100) throw new BadUserInputError('Send at most 100 academic years at once.');
    const rows = inputs.map((input) => {
      const title = text(input.title, 'academic year title', 20);
      assertDates(input.startsOn, input.endsOn, `academic year ${title}`);
      const periods = (input.periods ?? []).map((p: PeriodInput) => {
        if (!Number.isInteger(p.number) || p.number < 1 || p.number > 20)
          throw new BadUserInputError(`A period of ${title} has the number ${p.number}; use 1 to 20.`);
        assertDates(p.startsOn, p.endsOn, `period ${p.number} of ${title}`);
        return {
          ...p,
          title: text(p.title, `title of period ${p.number} of ${title}`, 100),
          externalId: externalIdOf(p.externalId, `period ${p.number}`),
        };
      });
      assertUnique(
        periods.map((p) => p.number),
        `period number of ${title}`,
      );
      return {
        title,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        externalId: externalIdOf(input.externalId, title),
        periods,
      };
    });
    assertUnique(
      rows.map((r) => r.title),
      'academic year title',
    );
    assertUnique(
      rows.map((r) => r.externalId),
      'academic year external id',
    );
    assertUnique(
      rows.flatMap((r) => r.periods.map((p) => p.externalId)),
      'period external id',
    );
    const yearIds = rows.flatMap((r) => (r.externalId ? [r.externalId] : []));
    const years = await em.find(
      AcademicYear,
      {
        $or: [
          { title: { $in: rows.map((r) => r.title) } },
          ...(yearIds.length ? [{ externalId: { $in: yearIds } }] : []),
        ],
      },
      { populate: ['periods'] },
    );
    const periodIds = rows.flatMap((r) => r.periods.flatMap((p) => (p.externalId ? [p.externalId] : [])));
    const periodsById = new Map(
      (periodIds.length ? await em.find(Period, { externalId: { $in: periodIds } }) : []).map((p) => [
        p.externalId!,
        p,
      ]),
    );
    const byTitle = new Map(years.map((y) => [y.title, y]));
    const yearsById = new Map(years.filter((y) => y.externalId).map((y) => [y.externalId!, y]));
    const saved = rows.map((row) => {
      const year =
        matchByExternalId(row.externalId, row.title, yearsById, byTitle, (y) => y.title, 'academic year') ??
        em.create(AcademicYear, { title: row.title, startsOn: row.startsOn, endsOn: row.endsOn });
      em.assign(year, { startsOn: row.startsOn, endsOn: row.endsOn });
      if (row.externalId) year.externalId = row.externalId;
      const byNumber = new Map(
        year.periods.isInitialized() ? year.periods.getItems().map((p) => [String(p.number), p]) : [],
      );
      for (const p of row.periods) {
        const owner = p.externalId ? periodsById.get(p.externalId) : undefined;
        if (owner && (owner.academicYear.id !== year.id || owner.number !== p.number))
          throw new ExternalIdClashError(
            `The external id "${p.externalId}" belongs to another period than number ${p.number} of ${row.title}.`,
            p.externalId!,
            `${row.title}/${p.number}`,
          );
        const period =
          matchByExternalId(
            p.externalId,
            String(p.number),
            new Map(),
            byNumber,
            (x) => String(x.number),
            `period of ${row.title}`,
          ) ??
          em.create(Period, {
            academicYear: year,
            number: p.number,
            title: p.title,
            startsOn: p.startsOn,
            endsOn: p.endsOn,
          });
        em.assign(period, { title: p.title, startsOn: p.startsOn, endsOn: p.endsOn });
        if (p.externalId) period.externalId = p.externalId;
      }
      return year;
    });
    await em.flush();
    return saved;
  }
}
