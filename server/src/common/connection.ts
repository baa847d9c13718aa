/**
 * Cursor connections (issue 13): every list that can grow pages by keyset on a total order — its sort keys with the
 * row's id last — so rows inserted or removed between two pages neither repeat nor hide rows of the next one. A page
 * costs the same statements whatever its size: the keys of the page (one), its count (one aggregate) and the rows'
 * entities by id with what the list shows of them.
 */
import type { EntityManager, EntityName } from '@mikro-orm/core';
import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import type { Config } from '../config';
import { BadCursorError, BadUserInputError } from './errors';
import { instant, plainRows, plainSql } from './plain-sql';
import { containsPattern } from './search-text';

@ObjectType({ description: 'Where a page of a connection ends; pass `endCursor` as `after` to read the next page.' })
export class PageInfo {
  @Field(() => String, {
    nullable: true,
    description: "the cursor of the page's last row (opaque; valid for this connection only); null on an empty page",
  })
  endCursor!: string | null;

  @Field({ description: 'true when rows follow this page (in the order at the time it was read)' })
  hasNextPage!: boolean;
}

/** A page of `T`: its rows, how many rows the whole list holds (all pages, same filters), and where it ends. */
export function Connection<T extends object>(node: ClassType<T>) {
  // not in the schema by itself: each connection's subclass is (UserConnection, ExamConnection, …)
  @ObjectType()
  abstract class ConnectionClass {
    @Field(() => [node], { description: "this page's rows, in the connection's order" })
    nodes!: T[];

    @Field(() => Int, { description: 'rows of the whole list with these filters and search, over every page' })
    totalCount!: number;

    @Field(() => PageInfo, { description: 'where this page ends, and whether another follows' })
    pageInfo!: PageInfo;
  }
  return ConnectionClass;
}

export interface Page<T> {
  nodes: T[];
  totalCount: number;
  pageInfo: PageInfo;
}

/** The arguments every connection takes; a connection's own filters extend it. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    description: 'rows in the page: 1 to the server setting MAX_PAGE_SIZE (default 100), which is also the default',
  })
  first?: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      "the previous page's `pageInfo.endCursor`; omitted for the first page (a cursor of another list is BAD_CURSOR)",
  })
  after?: string | null;
}

/** A page asked for: its size checked against MAX_PAGE_SIZE, its cursor still opaque. */
export interface PageRequest {
  first: number;
  after: string | null;
}

/** `first` and `after` as asked, `first` within 1…MAX_PAGE_SIZE (omitted: MAX_PAGE_SIZE). */
export function pageRequest(config: Pick<Config, 'maxPageSize'>, args: PageArgs): PageRequest {
  const max = config.maxPageSize;
  const first = args.first ?? max;
  if (!Number.isInteger(first) || first < 1 || first > max)
    throw new BadUserInputError(`Ask for 1 to ${max} rows at a time (first: ${first}; MAX_PAGE_SIZE is ${max}).`);
  return { first, after: args.after ?? null };
}

/** A search text trimmed, at most MAX_SEARCH_CHARS characters; null when blank (no search). */
export function searchText(config: Pick<Config, 'maxSearchChars'>, search: string | null | undefined): string | null {
  const text = search?.trim() ?? '';
  if (!text) return null;
  if ([...text].length > config.maxSearchChars)
    throw new BadUserInputError(
      `Search for at most ${config.maxSearchChars} characters (MAX_SEARCH_CHARS); this text has ${[...text].length}.`,
    );
  return text;
}

/** A sort key: an SQL expression over the query's tables, and how its value travels in a cursor. */
export interface SortKey {
  sql: string;
  kind: 'text' | 'time';
}

/**
 * One list as SQL: its tables, its filters (`where`, with their `params` in order) and its order — ascending sort keys
 * whose last is the row's id, a total order. `list` names the connection in its cursors, so another list's cursor is
 * refused. Built by each module's list rules; the engine below pages it.
 */
export interface ListQuery {
  list: string;
  from: string;
  where: string[];
  params: unknown[];
  order: SortKey[];
}

/** A filter condition with its parameters, appended to a ListQuery. */
export function where(query: ListQuery, condition: string, ...params: unknown[]): void {
  query.where.push(condition);
  query.params.push(...params);
}

/** `column` contains the search text (the column holds a folded search key: common/search-text.ts). */
export function whereContains(query: ListQuery, column: string, text: string | null): void {
  if (text) where(query, `${column} like ? escape '!'`, containsPattern(text));
}

const conditions = (query: ListQuery, extra: string[] = []) => {
  const all = [...query.where, ...extra];
  return all.length ? ` where ${all.map((c) => `(${c})`).join(' and ')}` : '';
};

const BAD_CURSOR_HINT = 'Ask for the first page again without `after`, then follow each page’s `pageInfo.endCursor`.';

/** The sort-key values a cursor holds, checked to be this list's (kind, arity and types). */
function decodeCursor(query: ListQuery, cursor: string): unknown[] {
  let decoded: unknown;
  try {
    if (!/^[\w-]+$/.test(cursor) || cursor.length > 2_000) throw new Error('not base64url');
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadCursorError(
      `The cursor "${cursor.slice(0, 40)}" is not one this server handed out. ${BAD_CURSOR_HINT}`,
    );
  }
  if (!Array.isArray(decoded) || decoded[0] !== query.list)
    throw new BadCursorError(`This cursor belongs to another list, not to ${query.list}. ${BAD_CURSOR_HINT}`);
  const values = decoded.slice(1);
  if (values.length !== query.order.length || values.some((v) => typeof v !== 'string'))
    throw new BadCursorError(`This cursor does not fit ${query.list}. ${BAD_CURSOR_HINT}`);
  return query.order.map((key, i) => {
    if (key.kind === 'text') return values[i];
    const date = new Date(values[i] as string);
    if (Number.isNaN(date.getTime()))
      throw new BadCursorError(`This cursor does not fit ${query.list}. ${BAD_CURSOR_HINT}`);
    return date;
  });
}

function encodeCursor(query: ListQuery, row: Record<string, unknown>): string {
  const values = query.order.map((key, i) =>
    key.kind === 'time' ? instant(row[`k${i}`]).toISOString() : String(row[`k${i}`]),
  );
  return Buffer.from(JSON.stringify([query.list, ...values]), 'utf8').toString('base64url');
}

/** The ids of one page of `query` (one statement), the list's total (one aggregate statement), and where it ends. */
export async function pageOfIds(
  em: EntityManager,
  query: ListQuery,
  request: PageRequest,
): Promise<{ ids: string[]; totalCount: number; pageInfo: PageInfo }> {
  const keys = query.order.map((key, i) => `${key.sql} as k${i}`).join(', ');
  const orderBy = query.order.map((key) => key.sql).join(', ');
  const extra: string[] = [];
  const params = [...query.params];
  if (request.after) {
    const db = plainSql(em);
    const values = decodeCursor(query, request.after);
    // a row value: the next page starts strictly after the last row's keys, whatever was inserted meanwhile
    extra.push(`(${orderBy}) > (${values.map(() => '?').join(', ')})`);
    params.push(...values.map((v) => (v instanceof Date ? db.time(v) : v)));
  }
  const rows = await plainRows<Record<string, unknown>>(
    em,
    `select ${keys} from ${query.from}${conditions(query, extra)} order by ${orderBy} limit ?`,
    [...params, request.first + 1] as never[],
  );
  const [count] = await plainRows<{ n: unknown }>(
    em,
    `select count(*) as n from ${query.from}${conditions(query)}`,
    query.params as never[],
  );
  const page = rows.slice(0, request.first);
  const last = page.at(-1);
  return {
    ids: page.map((row) => String(row[`k${query.order.length - 1}`])),
    totalCount: Number(count.n),
    pageInfo: { endCursor: last ? encodeCursor(query, last) : null, hasNextPage: rows.length > request.first },
  };
}

/** Every id of `query` in its order (the contract's whole-list fields, which page nothing). */
export async function allIds(em: EntityManager, query: ListQuery): Promise<string[]> {
  const id = query.order.at(-1)!.sql;
  const orderBy = query.order.map((key) => key.sql).join(', ');
  const rows = await plainRows<{ id: unknown }>(
    em,
    `select ${id} as id from ${query.from}${conditions(query)} order by ${orderBy}`,
    query.params as never[],
  );
  return rows.map((row) => String(row.id));
}

/** Entities by id with what the list shows of them, in the ids' order (one statement, or one per populated relation). */
export async function inOrder<T extends { id: string }>(
  em: EntityManager,
  entity: EntityName<T>,
  ids: readonly string[],
  options: { populate?: readonly string[]; exclude?: readonly string[] } = {},
): Promise<T[]> {
  if (!ids.length) return [];
  const found = await em.find(entity, { id: { $in: [...ids] } } as never, options as never);
  const byId = new Map(found.map((row) => [(row as T).id, row as T]));
  return ids.map((id) => byId.get(id)).filter((row): row is T => !!row);
}

/** A page of entities: the ids' page, then its rows. */
export async function pageOf<T extends { id: string }>(
  em: EntityManager,
  query: ListQuery,
  request: PageRequest,
  load: (ids: string[]) => Promise<T[]>,
): Promise<Page<T>> {
  const { ids, totalCount, pageInfo } = await pageOfIds(em, query, request);
  return { nodes: await load(ids), totalCount, pageInfo };
}
