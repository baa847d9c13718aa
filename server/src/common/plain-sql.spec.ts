import type { EntityManager } from '@mikro-orm/core';
import { startTestServer, type TestServer } from '../testing/harness';
import { plainSql } from './plain-sql';

/** rows as the ORM's own driver answers them (knex over better-sqlite3, or pg) */
const driverRows = (em: EntityManager, sql: string, params: unknown[] = []) =>
  em.getConnection().execute<Record<string, unknown>[]>(sql, params);

/**
 * Plain SQL's rows are the driver's own rows: the same names and values in the same order, whatever the column list
 * (on SQLite they are made from the values by a maker per column list, not by better-sqlite3).
 */
describe('plain SQL rows', () => {
  let server: TestServer;
  let em: EntityManager;

  beforeEach(async () => {
    server = await startTestServer();
    em = server.app.orm.em.fork();
  });
  afterEach(async () => {
    await server.stop();
  });

  const same = async (sql: string, params: unknown[] = []) => {
    const plain = await plainSql(em).rows<Record<string, unknown>>(sql, params);
    const own = await driverRows(em, sql, params);
    expect(plain).toEqual(own);
    expect(plain.map((row) => Object.keys(row))).toEqual(own.map((row: object) => Object.keys(row)));
    expect(plain.map((row) => Object.getPrototypeOf(row))).toEqual(own.map(() => Object.prototype));
    return plain;
  };

  it('answer each column by name, in order, with its value', async () => {
    const rows = await same(`select 1 as "a", 'two' as "b", null as "c" union all select 3, 'four', 'x'`);
    expect(rows).toEqual([
      { a: 1, b: 'two', c: null },
      { a: 3, b: 'four', c: 'x' },
    ]);
  });

  it('answer a repeated name once, an odd name as an own property, and no rows as none', async () => {
    await same(`select 1 as "a", 2 as "b", 3 as "a"`);
    const odd = await same(`select 1 as "__proto__", 2 as "10", 'q"uote' as "it's", 4 as "constructor"`);
    expect(odd[0]).toEqual(jasmine.objectContaining({ 10: 2, "it's": 'q"uote', constructor: 4 }));
    expect(await same(`select 1 as "a" where 1 = 0`)).toEqual([]);
  });

  it('answer the rows an UPDATE … RETURNING changed', async () => {
    await driverRows(em, 'create table plain_sql_spec (id varchar(10) primary key, n integer not null)');
    try {
      await driverRows(em, "insert into plain_sql_spec (id, n) values ('a', 1), ('b', 2), ('c', 3)");
      const changed = await plainSql(em).transaction((tx) =>
        tx.rows<{ id: string; n: number }>('update plain_sql_spec set n = n * 10 where n > ? returning id, n', [1]),
      );
      expect(changed.sort((x, y) => (x.id < y.id ? -1 : 1))).toEqual([
        { id: 'b', n: 20 },
        { id: 'c', n: 30 },
      ]);
      expect(await driverRows(em, 'select id, n from plain_sql_spec order by id')).toEqual([
        { id: 'a', n: 1 },
        { id: 'b', n: 20 },
        { id: 'c', n: 30 },
      ]);
    } finally {
      await driverRows(em, 'drop table plain_sql_spec');
    }
  });
});
