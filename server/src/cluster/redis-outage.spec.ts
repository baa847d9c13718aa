import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client as WsClient } from 'graphql-ws';
import { sleep } from '../testing/harness';
import { gql, listen, login, OwnRedis, scratchDatabase, startInstance, ws, type Instance } from './processes';

const METRICS_TOKEN = 'cluster-spec-metrics-token';

/**
 * Redis stopped for 10 s under two instances while 20 students save: nobody notices but the
 * operator. Its own redis-server (killed and started again on the same port, empty, as after a
 * crash), its own PostgreSQL database. Runs in the cluster suite (TEST_DATABASE_URL).
 */
const pgBase = process.env.TEST_DATABASE_URL;
const OUTAGE_MS = 10_000;
const SAVERS = 20;

const ROOM = 'subscription($e:ID!){ sittingChanged(examId:$e){ student { login } online } }';
const RESYNC = 'subscription($e:ID!){ examResync(examId:$e){ examId at } }';
/** what the web app's exam page holds */
const PAGE = [
  'subscription($e:ID!){ questionsReleased(examId:$e){ id } }',
  'subscription($e:ID!){ mySittingChanged(examId:$e){ id } }',
  'subscription($e:ID!){ ticketBoardChanged(examId:$e){ id } }',
];

describe('Redis down for 10 s under two instances while students save', () => {
  let redis: OwnRedis;
  let db: Awaited<ReturnType<typeof scratchDatabase>>;
  let dataDir: string;
  let env: Record<string, string>;
  let a: Instance;
  let b: Instance;
  let c: Instance | undefined;
  const clients: WsClient[] = [];

  beforeAll(async () => {
    if (!pgBase) throw new Error('TEST_DATABASE_URL must be set for the cluster suite');
    redis = await OwnRedis.start();
    db = await scratchDatabase(pgBase, 'att_outage');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestation-outage-'));
    env = {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      SEED_DEMO: 'true',
      HEARTBEAT_MS: '1000',
      PRESENCE_TTL_MS: '3000',
      LOG_LEVEL: 'warn',
      METRICS_TOKEN: METRICS_TOKEN,
      SHUTDOWN_DELAY_MS: '0',
    };
    a = await startInstance({ ...env, INSTANCE_ID: 'A' }); // migrates and seeds first
    b = await startInstance({ ...env, INSTANCE_ID: 'B' });
  }, 120_000);

  afterAll(async () => {
    for (const c of clients) await c.dispose();
    for (const i of [a, b, c]) i?.process.kill('SIGTERM');
    await sleep(500);
    await redis?.kill();
    await db?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('keeps both instances up and every save, resyncs every page within 5 s of Redis returning, and gets presence right', async () => {
    const staff = await login(a.url, 'staff');
    const logins = Array.from({ length: SAVERS + 2 }, (_, i) => `student${String(i + 1).padStart(2, '0')}`);
    const tokens = await Promise.all(logins.map((l, i) => login(i % 2 ? a.url : b.url, l)));
    const instanceOf = (i: number) => (i % 2 ? a : b);
    const years = await gql(a.url, staff, '{ academicYears { periods { id } } }');
    const periods = years.data.academicYears.flatMap((y: any) => y.periods.map((p: any) => p.id));
    const exams = (
      await Promise.all(
        periods.map((p: string) =>
          gql(a.url, staff, 'query($p:ID!){ exams(periodId:$p){ id format startsAt endsAt } }', { p }),
        ),
      )
    ).flatMap((r: any) => r.data.exams);
    const examId = exams.find(
      (e: any) =>
        e.format === 'TASK' && Date.parse(e.startsAt) < Date.now() && Date.parse(e.endsAt) > Date.now() + 3600_000,
    ).id;
    const presence = async () =>
      new Map<string, boolean>(
        (
          await gql(a.url, staff, 'query($e:ID!){ exam(id:$e){ sittings { student { login } online } } }', {
            e: examId,
          })
        ).data.exam.sittings.map((s: any) => [s.student.login, s.online]),
      );
    const untilPresence = async (want: Record<string, boolean>, ms: number) => {
      const deadline = Date.now() + ms;
      let seen = new Map<string, boolean>();
      while (Date.now() < deadline) {
        seen = await presence();
        if (Object.entries(want).every(([l, online]) => seen.get(l) === online)) return true;
        await sleep(200);
      }
      throw new Error(
        `presence is not ${JSON.stringify(want)}: ${JSON.stringify([...seen].filter(([l]) => l in want))}`,
      );
    };

    // the staff room on A; 20 savers' pages (half on each instance) and a leaver's page
    const staffWs = ws(a.url, staff);
    clients.push(staffWs);
    listen(staffWs, ROOM, { e: examId });
    const roomResync = listen(staffWs, RESYNC, { e: examId });
    const open = (i: number) => {
      const client = ws(instanceOf(i).url, tokens[i]);
      clients.push(client);
      for (const query of PAGE) listen(client, query, { e: examId });
      return { client, resync: listen(client, RESYNC, { e: examId }) };
    };
    const pages = Array.from({ length: SAVERS }, (_, i) => open(i));
    const leaver = open(SAVERS + 1); // student22 on A
    const online = (ls: string[], value: boolean) => Object.fromEntries(ls.map((l) => [l, value]));
    await untilPresence({ ...online(logins.slice(0, SAVERS), true), [logins[SAVERS + 1]]: true }, 15_000);

    // 20 students save in a loop; every acknowledged text must survive
    let saving = true;
    const acked: (string | null)[] = new Array(SAVERS).fill(null);
    const refused: unknown[] = [];
    const loops = Array.from({ length: SAVERS }, async (_, i) => {
      for (let n = 1; saving; n++) {
        const text = `Answer of ${logins[i]}, version ${n}: the relational model.`;
        const result = await gql(
          instanceOf(i).url,
          tokens[i],
          'mutation($e:ID!,$t:String!){ saveAnswer(examId:$e, text:$t){ savedAt } }',
          { e: examId, t: text },
        ).catch((error) => ({ errors: [String(error)] }));
        if (result.data?.saveAnswer) acked[i] = text;
        else refused.push(result.errors);
        await sleep(150);
      }
    });
    await sleep(1000);

    // Redis vanishes; a page closes and another opens while it is gone
    await redis.kill();
    const killedAt = Date.now();
    await sleep(1500);
    for (const instance of [a, b]) {
      const ready = await fetch(`${instance.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as any).checks.redis).toBe('unreachable');
      expect(
        await fetch(`${instance.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }).then((r) =>
          r.text(),
        ),
      ).toMatch(/^attestation_redis_connected 0$/m);
    }
    await leaver.client.dispose();
    const joiner = open(SAVERS); // student21 on B
    // a third instance started now does not fail: it serves without Redis and connects when it returns
    c = await startInstance({ ...env, INSTANCE_ID: 'C', SEED_DEMO: 'false', REDIS_START_WAIT_MS: '1000' });
    expect((await fetch(`${c.url}/readyz`)).status).toBe(503);
    expect(c.output()).toContain('starting without Redis');
    await sleep(killedAt + OUTAGE_MS - Date.now());

    await redis.up();
    const returnedAt = Date.now();

    // every page and the room are told to re-read, within 5 s
    const resyncs = [...pages, joiner].map((p) => p.resync).concat(roomResync);
    await Promise.all(resyncs.map((r) => r.until((p) => !!p.examResync, 10_000)));
    const lateness = resyncs.map((r) => r.times[0] - returnedAt);
    expect(Math.max(...lateness))
      .withContext(`ms after Redis returned: ${lateness.join(', ')}`)
      .toBeLessThanOrEqual(5000);

    // presence: the savers and the joiner online, the leaver offline — and no saver ever shown offline
    await untilPresence({ ...online(logins.slice(0, SAVERS + 1), true), [logins[SAVERS + 1]]: false }, 10_000);
    // no saver was ever recorded as having left (each page stayed open on its instance throughout)
    const trail = await gql(
      a.url,
      staff,
      'query($e:ID!){ exam(id:$e){ sittings { student { login } events { kind at } } } }',
      { e: examId },
    );
    const falseLeaves = trail.data.exam.sittings
      .filter((s: any) => logins.slice(0, SAVERS).includes(s.student.login))
      .flatMap((s: any) => s.events.filter((e: any) => e.kind === 'LEFT').map(() => s.student.login));
    expect(falseLeaves).toEqual([]);
    await joiner.client.dispose();
    await untilPresence({ [logins[SAVERS]]: false }, 10_000);

    // saves went on all along; every acknowledged one is what the database holds
    saving = false;
    await Promise.all(loops);
    expect(refused).toEqual([]);
    for (let i = 0; i < SAVERS; i++) {
      const mine = await gql(
        instanceOf(i).url,
        tokens[i],
        'query($e:ID!){ exam(id:$e){ mySitting { answer { text } } } }',
        { e: examId },
      );
      expect(mine.data.exam.mySitting.answer.text).withContext(logins[i]).toBe(acked[i]);
    }

    for (const instance of [a, b, c]) {
      expect(instance.exitCode()).withContext(instance.output().slice(-2000)).toBeNull();
      expect((await fetch(`${instance.url}/readyz`)).status).toBe(200);
      expect(
        await fetch(`${instance.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }).then((r) =>
          r.text(),
        ),
      ).toMatch(/^attestation_redis_connected 1$/m);
    }
  }, 120_000);
});
