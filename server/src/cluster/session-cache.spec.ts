import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sleep } from '../testing/harness';
import { gql, login, OwnRedis, scratchDatabase, startInstance, type Instance } from './processes';

const pgBase = process.env.TEST_DATABASE_URL;
const ME = '{ me { login fullName role } }';
const STAFF_ONLY = '{ users { id } }';

/**
 * Two instances, each with its session cache (modules/auth/session-cache.ts): what one instance changes, the next
 * request on the other sees at once; while Redis (their revocation channel) is down, neither trusts its cache. Their
 * own redis-server, killed and started again, and their own PostgreSQL database.
 */
describe('sessions cached on two instances', () => {
  let redis: OwnRedis;
  let db: Awaited<ReturnType<typeof scratchDatabase>>;
  let dataDir: string;
  let a: Instance;
  let b: Instance;
  let staff: string;

  const me = async (instance: Instance, token: string) => (await gql(instance.url, token, ME)).data?.me ?? null;
  const code = async (instance: Instance, token: string, query: string) =>
    (await gql(instance.url, token, query)).errors?.[0]?.extensions?.code;
  const readiness = async (instance: Instance) => (await fetch(`${instance.url}/readyz`)).status;
  async function until(what: string, condition: () => Promise<boolean>, ms = 15_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(100);
    }
  }
  const redisDown = async () => {
    await redis.kill();
    await until(
      'both instances to lose Redis',
      async () => (await readiness(a)) === 503 && (await readiness(b)) === 503,
    );
  };
  const redisUp = async () => {
    await redis.up();
    await until(
      'both instances to have Redis again',
      async () => (await readiness(a)) === 200 && (await readiness(b)) === 200,
    );
  };

  beforeAll(async () => {
    if (!pgBase) throw new Error('TEST_DATABASE_URL must be set for the cluster suite');
    redis = await OwnRedis.start();
    db = await scratchDatabase(pgBase, 'att_session_cache');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestation-sessions-'));
    const env = {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      SEED_DEMO: 'true',
      LOG_LEVEL: 'warn',
      SHUTDOWN_DELAY_MS: '0',
    };
    a = await startInstance({ ...env, INSTANCE_ID: 'A' }); // migrates and seeds first
    b = await startInstance({ ...env, INSTANCE_ID: 'B' });
    staff = await login(a.url, 'staff');
  }, 120_000);

  afterAll(async () => {
    for (const i of [a, b]) i?.process.kill('SIGTERM');
    await Promise.all([a?.exited, b?.exited]);
    await redis?.kill();
    await db?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('refuses on B a session logged out on A, as soon as B hears it over Redis', async () => {
    const token = await login(a.url, 'student01');
    const other = await login(a.url, 'student01');
    for (let i = 0; i < 2; i++) expect((await me(b, token))?.login).toBe('student01');
    expect((await me(b, other))?.login).toBe('student01');

    expect((await gql(a.url, token, 'mutation { logout }')).data).toEqual({ logout: true });
    // Redis has the message when the logout answers; B reads it from its own socket moments later
    await until('B refuses the logged-out session', async () => (await me(b, token)) === null, 2_000);
    expect(await code(b, token, STAFF_ONLY)).toBe('UNAUTHENTICATED');
    expect((await me(b, other))?.login)
      .withContext('the other session of the same student')
      .toBe('student01');
  });

  it('gives B the role and name changed on A, as soon as B hears it over Redis', async () => {
    const token = await login(b.url, 'student03');
    const before = await me(b, token);
    expect(before?.role).toBe('STUDENT');
    expect(await code(b, token, STAFF_ONLY)).toBe('FORBIDDEN');
    const upsert = (role: string, fullName: string) =>
      gql(a.url, staff, 'mutation($u:[UserInput!]!){ upsertUsers(users:$u){ id } }', {
        u: [{ login: 'student03', fullName, role }],
      });

    expect((await upsert('STAFF', 'Promoted Three')).errors).toBeUndefined();
    await until('B sees the promotion', async () => (await me(b, token))?.role === 'STAFF', 2_000);
    expect(await me(b, token)).toEqual({ login: 'student03', fullName: 'Promoted Three', role: 'STAFF' });
    expect((await gql(b.url, token, STAFF_ONLY)).data?.users.length).toBeGreaterThan(0);

    expect((await upsert('STUDENT', before.fullName)).errors).toBeUndefined();
    await until('B sees the demotion', async () => (await me(b, token))?.role === 'STUDENT', 2_000);
    expect(await me(b, token)).toEqual(before);
    expect(await code(b, token, STAFF_ONLY)).toBe('FORBIDDEN');
  });

  it('reads every session from the database while Redis is down, and forgets what it kept once Redis went away', async () => {
    // B keeps two sessions
    const during = await login(a.url, 'student04');
    const across = await login(a.url, 'student05');
    for (const token of [during, across]) expect((await me(b, token))?.login).toBeTruthy();

    // Redis down: the logout on A cannot reach B, yet B refuses the session at once
    await redisDown();
    expect((await gql(a.url, during, 'mutation { logout }')).data).toEqual({ logout: true });
    expect(await me(b, during)).toBeNull();
    expect(await code(b, during, STAFF_ONLY)).toBe('UNAUTHENTICATED');
    await redisUp();

    // B uses its cache again, then Redis goes away while B serves nobody: what it kept is forgotten too
    expect((await me(b, across))?.login).toBe('student05');
    expect((await me(b, across))?.login).toBe('student05');
    await redisDown();
    expect((await gql(a.url, across, 'mutation { logout }')).data).toEqual({ logout: true });
    await redisUp();
    expect(await me(b, across)).toBeNull();
    expect(await code(b, across, STAFF_ONLY)).toBe('UNAUTHENTICATED');
  }, 90_000);
});
