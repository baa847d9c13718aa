import type { ExamFormat, RoomSittingFragment } from '../../../core/graphql/generated';
import type { MessageKey } from '../../../core/i18n/kk';

/**
 * Which rows of the live room are shown and in what order: the staff's view, kept in the page's address
 * (`?state=draft&sort=presence&dir=desc`) so a reload or a shared link shows the same.
 */
export const ROOM_FILTERS = ['all', 'online', 'offline', 'notEntered', 'waiting', 'viewed', 'draft', 'sent'] as const;
export type RoomFilter = (typeof ROOM_FILTERS)[number];

export const ROOM_SORTS = ['name', 'presence', 'ticket', 'questions', 'answer', 'grade'] as const;
export type RoomSort = (typeof ROOM_SORTS)[number];
export type SortDirection = 'asc' | 'desc';

/** filters that mean something only where students hold tickets */
const TICKET_FILTERS: ReadonlySet<RoomFilter> = new Set(['waiting', 'viewed']);
/** the first click on a column: names A→Z, tickets by number; times and progress the latest and furthest first */
const FIRST_DIRECTION: Record<RoomSort, SortDirection> = {
  name: 'asc',
  presence: 'desc',
  ticket: 'asc',
  questions: 'desc',
  answer: 'desc',
  grade: 'desc',
};

export interface RoomView {
  readonly filter: RoomFilter;
  readonly sort: RoomSort;
  readonly direction: SortDirection;
}

export const DEFAULT_ROOM_VIEW: RoomView = { filter: 'all', sort: 'name', direction: 'asc' };

type Row = Pick<
  RoomSittingFragment,
  | 'online'
  | 'onlineSince'
  | 'enteredAt'
  | 'lastSeenAt'
  | 'ticketNumber'
  | 'questionsReleasedAt'
  | 'questionsViewedAt'
  | 'answerStatus'
  | 'answerSavedAt'
  | 'submittedAt'
  | 'grade'
> & { readonly student: { readonly fullName: string } };

/** The view the address asks for; anything unknown (an old link, a typo) falls back to the default. */
export function roomViewFrom(
  params: { state?: string | null; sort?: string | null; dir?: string | null },
  format: ExamFormat | null,
): RoomView {
  const filter = (ROOM_FILTERS as readonly string[]).includes(params.state ?? '')
    ? (params.state as RoomFilter)
    : 'all';
  const asked = (ROOM_SORTS as readonly string[]).includes(params.sort ?? '') ? (params.sort as RoomSort) : 'name';
  const ticketsOnly = format !== 'TICKETS';
  const sort = ticketsOnly && (asked === 'ticket' || asked === 'questions') ? 'name' : asked;
  return {
    filter: ticketsOnly && TICKET_FILTERS.has(filter) ? 'all' : filter,
    sort,
    direction: sort === asked && (params.dir === 'asc' || params.dir === 'desc') ? params.dir : FIRST_DIRECTION[sort],
  };
}

/** The address's query for a view: the defaults are left out, so the plain room keeps its plain address. */
export function roomViewParams(view: RoomView): { state: string | null; sort: string | null; dir: string | null } {
  return {
    state: view.filter === 'all' ? null : view.filter,
    sort: view.sort === 'name' && view.direction === 'asc' ? null : view.sort,
    dir: view.sort === 'name' && view.direction === 'asc' ? null : view.direction,
  };
}

/** A click on a column's header: that column in its first direction, or the other direction when it is sorted already. */
export function sortedBy(view: RoomView, sort: RoomSort): RoomView {
  if (view.sort !== sort) return { ...view, sort, direction: FIRST_DIRECTION[sort] };
  return { ...view, direction: view.direction === 'asc' ? 'desc' : 'asc' };
}

export function matchesFilter(row: Row, filter: RoomFilter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'online':
      return row.online;
    case 'offline': // was in the room and is not now
      return !row.online && !!row.enteredAt;
    case 'notEntered':
      return !row.online && !row.enteredAt;
    case 'waiting': // holds a ticket, waits for its questions (R5.3)
      return row.ticketNumber != null && !row.questionsReleasedAt;
    case 'viewed':
      return !!row.questionsViewedAt;
    case 'draft': // wrote something, has not sent it
      return row.answerStatus !== 'SUBMITTED' && !!row.answerSavedAt;
    case 'sent':
      return row.answerStatus === 'SUBMITTED';
  }
}

export interface FilterChoice {
  readonly key: RoomFilter;
  readonly label: MessageKey;
  readonly count: number;
}

const FILTER_LABELS: Record<RoomFilter, MessageKey> = {
  all: 'room.filter.all',
  online: 'room.filter.online',
  offline: 'room.filter.offline',
  notEntered: 'room.filter.notEntered',
  waiting: 'room.filter.waiting',
  viewed: 'room.filter.viewed',
  draft: 'room.filter.draft',
  sent: 'room.filter.sent',
};

/** The filters of this exam's format, each with how many rows it shows now. */
export function filterChoices(rows: readonly Row[], format: ExamFormat): FilterChoice[] {
  return ROOM_FILTERS.filter((key) => format === 'TICKETS' || !TICKET_FILTERS.has(key)).map((key) => ({
    key,
    label: FILTER_LABELS[key],
    count: key === 'all' ? rows.length : rows.filter((row) => matchesFilter(row, key)).length,
  }));
}

const time = (at: string | null | undefined) => (at ? Date.parse(at) : null);

/**
 * What a column sorts by: a list compared item by item; `null` (nothing yet) sorts after every value whatever the
 * direction, so the rows that have something come first.
 */
function sortKey(row: Row, sort: RoomSort): (number | null)[] {
  switch (sort) {
    case 'name':
      return [];
    case 'presence': // online first (the longest online first), then the latest seen; never entered last
      return row.online
        ? [2, -(time(row.onlineSince) ?? 0)]
        : row.enteredAt
          ? [1, time(row.lastSeenAt) ?? time(row.enteredAt)]
          : [null];
    case 'ticket':
      return [row.ticketNumber ?? null];
    case 'questions': // viewed, then released, then not released; the earliest first within each
      return row.questionsViewedAt
        ? [2, -(time(row.questionsViewedAt) ?? 0)]
        : row.questionsReleasedAt
          ? [1, -(time(row.questionsReleasedAt) ?? 0)]
          : [null];
    case 'answer': // sent, then a draft, then nothing; the earliest sent first, the latest saved draft first
      return row.answerStatus === 'SUBMITTED'
        ? [2, -(time(row.submittedAt) ?? 0)]
        : row.answerSavedAt
          ? [1, time(row.answerSavedAt)]
          : [null];
    case 'grade':
      return [row.grade?.score ?? null];
  }
}

function compareKeys(a: (number | null)[], b: (number | null)[], sign: number): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x === y) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    return (x - y) * sign;
  }
  return 0;
}

/** The rows the view shows, in its order; equal rows by name in the page's language. */
export function roomRows<T extends Row>(rows: readonly T[], view: RoomView, locale: string): T[] {
  const byName = new Intl.Collator(locale, { sensitivity: 'base' });
  const sign = view.direction === 'asc' ? 1 : -1;
  return rows
    .filter((row) => matchesFilter(row, view.filter))
    .map((row) => ({ row, key: sortKey(row, view.sort) }))
    .sort(
      (a, b) =>
        compareKeys(a.key, b.key, sign) ||
        byName.compare(a.row.student.fullName, b.row.student.fullName) * (view.sort === 'name' ? sign : 1),
    )
    .map(({ row }) => row);
}
