import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { PlainStatements } from '../../common/plain-sql';
import type { Sitting } from '../sittings/sitting.entity';
import { User } from '../users/user.entity';
import { SittingEvent, SittingEventKind } from './sitting-event.entity';

/** The same entry as `recordEvent`, inside a plain-SQL transaction (common/plain-sql.ts) with the change it records; `at` as the database stores it. */
export function insertEvent(
  tx: PlainStatements,
  sittingId: string,
  kind: SittingEventKind,
  actorId: string | null,
  at: unknown,
  detail?: string | null,
): Promise<number> {
  return tx.run('insert into sitting_events (id, sitting_id, kind, at, actor_id, detail) values (?, ?, ?, ?, ?, ?)', [
    randomUUID(),
    sittingId,
    kind,
    at,
    actorId,
    detail ?? null,
  ]);
}

/** Appends to a sitting's trail; the row is flushed with the change it records. */
export function recordEvent(
  em: EntityManager,
  sitting: Sitting,
  kind: SittingEventKind,
  actor: User | null,
  at: Date,
  detail?: string,
): void {
  // by reference: the caller's user may be the request's plain one (auth.service.ts)
  em.create(SittingEvent, {
    sitting,
    kind,
    actor: actor && em.getReference(User, actor.id),
    at,
    detail: detail ?? null,
  });
}

/** One trail row written by a statement of its own (no managed entity): see `insertEvents`. */
export interface TrailRow {
  sittingId: string;
  kind: SittingEventKind;
  actorId: string | null;
  at: Date;
  detail?: string;
}

/** ids in one `IN (…)` list when reading entries */
const IDS_A_READ = 1_000;

/**
 * The sittings among `sittingIds` that are in the room by their trail: an ENTERED not followed by a LEFT at the same
 * moment or later. One entry is one «Кірді» however many ways the page says it arrived (enterExam, its socket, a
 * retried request). Read after the caller's UPDATE of the same sittings, so on PostgreSQL a parallel entry waits on
 * that row lock and then sees this one's row.
 */
export async function openEntries(
  tx: PlainStatements,
  sittingIds: readonly string[],
  date: (value: unknown) => Date,
): Promise<Set<string>> {
  const lastEntered = new Map<string, number>();
  const lastLeft = new Map<string, number>();
  for (let i = 0; i < sittingIds.length; i += IDS_A_READ) {
    const ids = sittingIds.slice(i, i + IDS_A_READ);
    const rows = await tx.rows<{ sitting_id: string; kind: SittingEventKind; at: unknown }>(
      `select sitting_id, kind, at from sitting_events where kind in (?, ?) and sitting_id in (${ids.map(() => '?').join(', ')})`,
      [SittingEventKind.ENTERED, SittingEventKind.LEFT, ...ids],
    );
    for (const row of rows) {
      const last = row.kind === SittingEventKind.ENTERED ? lastEntered : lastLeft;
      last.set(row.sitting_id, Math.max(last.get(row.sitting_id) ?? -Infinity, date(row.at).getTime()));
    }
  }
  return new Set([...lastEntered].filter(([id, at]) => at > (lastLeft.get(id) ?? -Infinity)).map(([id]) => id));
}

/** trail rows in one plain multi-row INSERT (6 bound parameters a row) */
const PLAIN_ROWS_A_STATEMENT = 500;
/** trail rows of one kind, actor, time and detail in one INSERT (2 bound parameters a row, the shared 4 once) */
const SHARED_ROWS_A_STATEMENT = 1_000;

/** whether every row has the first one's kind, actor, time and detail */
const alike = (rows: readonly TrailRow[]) =>
  rows.every(
    (row) =>
      row.kind === rows[0].kind &&
      row.actorId === rows[0].actorId &&
      row.at.getTime() === rows[0].at.getTime() &&
      (row.detail ?? null) === (rows[0].detail ?? null),
  );

/**
 * Appends trail rows with multi-row INSERTs in plain SQL, creating no entity, inside a plain transaction (`tx`): `time`
 * is the database's timestamp (PlainSql.time). A release of thousands of sittings, or the presence writes of thousands
 * of sockets, write their trail with a statement per 500 rows and no query building; rows that differ only by their
 * sitting (a release: one kind, actor and time) bind what they share once, and each row its id and sitting alone.
 */
export async function insertEvents(
  tx: PlainStatements,
  rows: readonly TrailRow[],
  time: (date: Date) => unknown,
): Promise<void> {
  if (rows.length > 1 && alike(rows)) {
    const { kind, at, actorId, detail } = rows[0];
    for (let i = 0; i < rows.length; i += SHARED_ROWS_A_STATEMENT) {
      const chunk = rows.slice(i, i + SHARED_ROWS_A_STATEMENT);
      await tx.run(
        `insert into sitting_events (id, sitting_id, kind, at, actor_id, detail) select v.column1, v.column2, ?, ?, ?, ? from (values ${chunk.map(() => '(?, ?)').join(', ')}) as v`,
        [kind, time(at), actorId, detail ?? null, ...chunk.flatMap((row) => [randomUUID(), row.sittingId])],
      );
    }
    return;
  }
  for (let i = 0; i < rows.length; i += PLAIN_ROWS_A_STATEMENT) {
    const chunk = rows.slice(i, i + PLAIN_ROWS_A_STATEMENT);
    await tx.run(
      `insert into sitting_events (id, sitting_id, kind, at, actor_id, detail) values ${chunk.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
      chunk.flatMap((row) => [randomUUID(), row.sittingId, row.kind, time(row.at), row.actorId, row.detail ?? null]),
    );
  }
}

/** What staff read in place of a draft's detail (the web app shows it in the page's language). */
const PRIVATE_DRAFT_DETAIL = 'private draft';
const DRAFT_KINDS = new Set([
  SittingEventKind.ANSWER_SAVED,
  SittingEventKind.FILE_UPLOADED,
  SittingEventKind.FILE_DELETED,
]);

/**
 * R7.4: a draft is the student's alone. Staff and the exam's teacher read *that* the draft changed and when, never
 * a file's name or the text's size, until the answer is sent; then the saves' sizes and the names of the files that
 * were sent show, while a deleted file's name never does (it was never sent).
 */
export function trailForStaff(
  events: readonly SittingEvent[],
  sentFileNames: ReadonlySet<string> | null,
): SittingEvent[] {
  const shown = (event: SittingEvent): string | null | undefined => {
    if (!DRAFT_KINDS.has(event.kind)) return event.detail;
    if (!sentFileNames || event.kind === SittingEventKind.FILE_DELETED) return PRIVATE_DRAFT_DETAIL;
    if (event.kind === SittingEventKind.FILE_UPLOADED && !sentFileNames.has(event.detail ?? ''))
      return PRIVATE_DRAFT_DETAIL;
    return event.detail;
  };
  // copies, so the managed rows (append-only) are never changed
  return events.map((event) =>
    Object.assign(Object.create(SittingEvent.prototype) as SittingEvent, {
      id: event.id,
      sitting: event.sitting,
      kind: event.kind,
      at: event.at,
      actor: event.actor,
      detail: shown(event),
    }),
  );
}

export { SittingEventKind };
