import { plainRead } from '../../common/loaded';
import { sleep, seedUniversity, startTestServer, type TestServer, type University } from '../../testing/harness';
import { statementsOf } from '../../testing/statements';
import { Role, User } from '../users/user.entity';
import { AuthSession } from './auth-session.entity';
import type { LiveSession } from './auth.service';
import { SessionCache } from './session-cache';

const ME = '{ me { id login fullName role } }';
const STAFF_ONLY = '{ users { id } }';
const readsSession = (statements: string[]) => statements.some((sql) => /from [`"]?auth_sessions/i.test(sql));

/** The session cache on a real server: what a hit saves, and every change a request right after it must see. */
describe('the session cache', () => {
  let server: TestServer;
  let u: University;
  let staff: string;

  beforeAll(async () => {
    server = await startTestServer();
    u = await seedUniversity(server, 3);
    staff = await server.login('staff');
  });
  afterAll(() => server?.stop());

  it('reads a session once: the next request on it sends no session statement', async () => {
    const token = await server.login('s01');
    const first = await statementsOf(server.app.orm, () => server.ok(token, ME));
    expect(readsSession(first)).withContext(first.join('\n')).toBeTrue();
    let me: any;
    const second = await statementsOf(server.app.orm, async () => (me = await server.ok(token, ME)));
    expect(second).toEqual([]);
    expect(me.me).toEqual({ id: u.students[0].id, login: 's01', fullName: u.students[0].fullName, role: 'STUDENT' });
  });

  it('refuses a logged-out session on the very next request', async () => {
    const token = await server.login('staff');
    const other = await server.login('staff');
    expect((await server.ok(token, STAFF_ONLY)).users.length).toBeGreaterThan(0);
    expect((await server.ok(other, STAFF_ONLY)).users.length).toBeGreaterThan(0);
    expect((await server.ok(token, 'mutation { logout }')).logout).toBeTrue();
    expect(await server.code(token, STAFF_ONLY)).toBe('UNAUTHENTICATED');
    expect((await server.ok(token, ME)).me).toBeNull();
    // the same person's other session goes on
    expect((await server.ok(other, STAFF_ONLY)).users.length).toBeGreaterThan(0);
  });

  it('refuses a session once its expiry has passed, though it was kept', async () => {
    const token = await server.login('s02');
    const em = server.app.orm.em.fork();
    const [session] = await em.find(
      AuthSession,
      { user: u.students[1].id },
      { orderBy: { createdAt: 'desc' }, limit: 1 },
    );
    session.expiresAt = new Date(Date.now() + 1_000);
    await em.flush();
    expect((await server.ok(token, ME)).me.login).toBe('s02');
    const kept = await statementsOf(server.app.orm, () => server.ok(token, ME));
    expect(readsSession(kept)).withContext('the session is kept').toBeFalse();
    await sleep(1_100);
    expect((await server.ok(token, ME)).me).toBeNull();
    expect(await server.code(token, 'query($y:ID!){ myExams(academicYearId:$y){ id } }', { y: u.yearId })).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('gives a request right after a change of the person the new role and name', async () => {
    const token = await server.login('s03');
    expect(await server.code(token, STAFF_ONLY)).toBe('FORBIDDEN');
    const promote = (role: string, fullName: string) =>
      server.ok(staff, 'mutation($u:[UserInput!]!){ upsertUsers(users:$u){ id } }', {
        u: [{ login: 's03', fullName, role }],
      });

    await promote('STAFF', 'Promoted Three');
    expect((await server.ok(token, ME)).me).toEqual({
      id: u.students[2].id,
      login: 's03',
      fullName: 'Promoted Three',
      role: 'STAFF',
    });
    expect((await server.ok(token, STAFF_ONLY)).users.length).toBeGreaterThan(0);

    await promote('STUDENT', u.students[2].fullName);
    expect((await server.ok(token, ME)).me.role).toBe('STUDENT');
    expect(await server.code(token, STAFF_ONLY)).toBe('FORBIDDEN');
  });

  describe('set to 0', () => {
    let off: TestServer;
    beforeAll(async () => {
      off = await startTestServer({ sessionCacheMax: 0 });
      await seedUniversity(off, 1);
    });
    afterAll(() => off?.stop());

    it('reads the session at every request', async () => {
      const token = await off.login('s01');
      await off.ok(token, ME);
      const again = await statementsOf(off.app.orm, () => off.ok(token, ME));
      expect(readsSession(again)).withContext(again.join('\n')).toBeTrue();
    });
  });
});

describe('SessionCache', () => {
  const session = (id: string, expiresInMs = 3600_000): LiveSession => ({
    id,
    expiresAt: new Date(Date.now() + expiresInMs),
    user: plainRead(User, { id: `user-${id}`, login: id, fullName: id, role: Role.STUDENT }),
  });

  it('does not keep a read that a logout overtook', () => {
    const cache = new SessionCache(10, 60_000, undefined, 'spec');
    const before = cache.generation;
    cache.forgetSession('a'); // the logout commits while the read of 'a' is under way
    cache.keep('hash-a', session('a'), before, Date.now());
    expect(cache.session('hash-a', Date.now())).toBeUndefined();
    cache.keep('hash-a', session('a'), cache.generation, Date.now());
    expect(cache.session('hash-a', Date.now())?.id).toBe('a');
  });

  it('does not keep a read that a change of people overtook', async () => {
    const cache = new SessionCache(10, 60_000, undefined, 'spec');
    const before = cache.generation;
    await cache.usersChanged();
    cache.keep('hash-a', session('a'), before, Date.now());
    expect(cache.session('hash-a', Date.now())).toBeUndefined();
  });

  it('keeps at most its size, dropping the least recently used', () => {
    const cache = new SessionCache(2, 60_000, undefined, 'spec');
    const now = Date.now();
    cache.keep('hash-a', session('a'), cache.generation, now);
    cache.keep('hash-b', session('b'), cache.generation, now);
    expect(cache.session('hash-a', now)?.id).toBe('a'); // a used last: b goes first
    cache.keep('hash-c', session('c'), cache.generation, now);
    expect(cache.session('hash-b', now)).toBeUndefined();
    expect(cache.session('hash-a', now)?.id).toBe('a');
    expect(cache.session('hash-c', now)?.id).toBe('c');
  });

  it('reads a session again after its time to live, and never serves one past its expiry', () => {
    const cache = new SessionCache(10, 1_000, undefined, 'spec');
    const now = Date.now();
    cache.keep('hash-a', session('a'), cache.generation, now);
    expect(cache.session('hash-a', now + 999)?.id).toBe('a');
    expect(cache.session('hash-a', now + 1_000)).toBeUndefined();
    cache.keep('hash-b', session('b', 500), cache.generation, now);
    expect(cache.session('hash-b', now + 600)).toBeUndefined();
  });

  it('serves nothing while its Redis subscription is down, and keeps nothing read meanwhile', () => {
    const link = { connected: true, subscribe: { on: () => undefined, off: () => undefined } };
    const cache = new SessionCache(10, 60_000, link as never, 'spec');
    const now = Date.now();
    cache.keep('hash-a', session('a'), cache.generation, now);
    expect(cache.session('hash-a', now)?.id).toBe('a');
    link.connected = false;
    expect(cache.session('hash-a', now)).toBeUndefined();
    const during = cache.generation;
    link.connected = true;
    // read while the link was down: a revocation sent then was lost, so it is not kept
    cache.keep('hash-a', session('a'), during, now);
    expect(cache.session('hash-a', now)).toBeUndefined();
  });
});
