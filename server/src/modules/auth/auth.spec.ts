import {
  createExam,
  nextPushes,
  seedUniversity,
  startTestServer,
  type GqlResult,
  type TestServer,
  type University,
} from '../../testing/harness';
import { hashPassword, verifyPassword } from './passwords';

const LOGIN = 'mutation($l:String!,$p:String!){ login(login:$l,password:$p){ token user { id login fullName role } } }';
const ME = '{ me { id login role } }';

/** Every error of a response must carry a code and never a stack trace. */
function expectNoStack(result: GqlResult) {
  const raw = JSON.stringify(result);
  expect(raw).not.toMatch(/stacktrace/i);
  expect(raw).not.toMatch(/\n\s+at /);
}

describe('authentication', () => {
  let server: TestServer;
  let u: University;

  beforeAll(async () => {
    server = await startTestServer();
    u = await seedUniversity(server, 2);
  });
  afterAll(() => server.stop());

  describe('login', () => {
    it('returns a token and the signed-in user, and the token identifies that user', async () => {
      const data = await server.ok(null, LOGIN, { l: 'teacher', p: 'pw' });
      expect(data.login.token).toMatch(/^\S{20,}$/);
      expect(data.login.user).toEqual({
        id: u.teacher.id,
        login: 'teacher',
        fullName: 'Test teacher',
        role: 'TEACHER',
      });

      const me = await server.ok(data.login.token, ME);
      expect(me.me).toEqual({ id: u.teacher.id, login: 'teacher', role: 'TEACHER' });
    });

    it('gives every login its own token', async () => {
      const [a, b] = await Promise.all([server.login('s01'), server.login('s01')]);
      expect(a).not.toBe(b);
      expect((await server.ok(a, ME)).me.login).toBe('s01');
      expect((await server.ok(b, ME)).me.login).toBe('s01');
    });

    it('refuses an unknown login and a wrong password with the same code and the same message', async () => {
      const unknown = await server.gql(null, LOGIN, { l: 'nobody-here', p: 'pw' });
      const wrong = await server.gql(null, LOGIN, { l: 'staff', p: 'not-the-password' });
      const empty = await server.gql(null, LOGIN, { l: 'staff', p: '' });
      for (const result of [unknown, wrong, empty]) {
        expect(result.data?.login ?? null).toBeNull();
        expect(result.errors?.length).toBe(1);
        expect(result.errors![0].extensions?.code).toBe('UNAUTHENTICATED');
        expectNoStack(result);
      }
      expect(wrong.errors![0].message).toBe(unknown.errors![0].message);
      expect(empty.errors![0].message).toBe(unknown.errors![0].message);
      expect(unknown.errors![0].message.length).toBeGreaterThan(10);
      // the message must not tell which of the two was wrong
      expect(unknown.errors![0].message).not.toMatch(/not found|no such user|unknown/i);
    });

    it('gives the same refusal for logins that look like SQL, never a server error', async () => {
      const reference = await server.gql(null, LOGIN, { l: 'nobody-here', p: 'pw' });
      for (const login of ["staff' --", "x' OR '1'='1", "staff\\' --", 's01\\', 'x'.repeat(5000)]) {
        const result = await server.gql(null, LOGIN, { l: login, p: 'pw' });
        expect(result.errors?.[0]?.extensions?.code).withContext(JSON.stringify(login)).toBe('UNAUTHENTICATED');
        expect(result.errors?.[0]?.message).withContext(JSON.stringify(login)).toBe(reference.errors![0].message);
      }
    });

    it('refuses a NUL character in any argument, inline or in variables, with BAD_USER_INPUT', async () => {
      for (const login of ['staff\u0000', 'a\u0000b'])
        expect(await server.code(null, LOGIN, { l: login, p: 'pw' })).toBe('BAD_USER_INPUT');
      expect(await server.code(null, 'mutation { login(login:"st\\u0000aff", password:"pw"){ token } }')).toBe(
        'BAD_USER_INPUT',
      );
      const token = await server.login('staff');
      expect(await server.code(token, 'query($id:ID!){ exam(id:$id){ id } }', { id: 'a\u0000b' })).toBe(
        'BAD_USER_INPUT',
      );
      // a backslash followed by "u0000" is ordinary text, not a NUL
      expect(await server.code(null, LOGIN, { l: 'x\\u0000', p: 'pw' })).toBe('UNAUTHENTICATED');
    });

    it('refuses the right password for another user', async () => {
      expect(await server.code(null, LOGIN, { l: 's01', p: 'wrong' })).toBe('UNAUTHENTICATED');
    });
  });

  describe('logout', () => {
    it('revokes the token: protected operations become UNAUTHENTICATED and me returns null', async () => {
      const token = await server.login('staff');
      const other = await server.login('staff');
      expect((await server.ok(token, ME)).me.login).toBe('staff');
      expect((await server.ok(token, 'query($p:ID!){ exams(periodId:$p){ id } }', { p: u.periodId })).exams).toEqual(
        [],
      );

      const out = await server.ok(token, 'mutation { logout }');
      expect(out.logout).toBeTrue();

      const me = await server.gql(token, ME);
      expect(me.errors).toBeUndefined();
      expect(me.data!.me).toBeNull();
      expect(await server.code(token, 'query($p:ID!){ exams(periodId:$p){ id } }', { p: u.periodId })).toBe(
        'UNAUTHENTICATED',
      );
      expect(await server.code(token, '{ users { id } }')).toBe('UNAUTHENTICATED');
      expect(await server.code(token, 'query($y:ID!){ myExams(academicYearId:$y){ id } }', { y: u.yearId })).toBe(
        'UNAUTHENTICATED',
      );

      // a second logout with the same token has nothing left to revoke
      expect((await server.ok(token, 'mutation { logout }')).logout).toBeFalse();
      // the user's other session is untouched
      expect((await server.ok(other, ME)).me.login).toBe('staff');
    });

    it('without a token reports that nothing was revoked', async () => {
      expect((await server.ok(null, 'mutation { logout }')).logout).toBeFalse();
    });
  });

  describe('a missing or bad token', () => {
    const protectedOperations: [string, string, (u: University) => Record<string, unknown>][] = [
      ['academicYears', '{ academicYears { id } }', () => ({})],
      ['disciplines', '{ disciplines { id } }', () => ({})],
      ['users', '{ users { id login } }', () => ({})],
      ['myExams', 'query($y:ID!){ myExams(academicYearId:$y){ id } }', (x) => ({ y: x.yearId })],
      ['exams', 'query($p:ID!){ exams(periodId:$p){ id } }', (x) => ({ p: x.periodId })],
      ['exam', 'query($id:ID!){ exam(id:$id){ id } }', () => ({ id: '00000000-0000-0000-0000-000000000000' })],
      [
        'journal',
        'query($d:ID!,$p:ID!){ journal(disciplineId:$d, periodId:$p){ grade { score } } }',
        (x) => ({ d: x.disciplineId, p: x.periodId }),
      ],
      ['myJournal', 'query($y:ID!){ myJournal(academicYearId:$y){ grade { score } } }', (x) => ({ y: x.yearId })],
      [
        'enterExam',
        'mutation($e:ID!){ enterExam(examId:$e){ id } }',
        () => ({ e: '00000000-0000-0000-0000-000000000000' }),
      ],
      [
        'saveAnswer',
        'mutation($e:ID!){ saveAnswer(examId:$e, text:"a long enough answer"){ status } }',
        () => ({ e: '00000000-0000-0000-0000-000000000000' }),
      ],
      [
        'upsertUsers',
        'mutation { upsertUsers(users:[{ login:"intruder", fullName:"I", role:STAFF, password:"secret" }]){ id } }',
        () => ({}),
      ],
      [
        'createExam',
        'mutation($input:ExamInput!){ createExam(input:$input){ id } }',
        (x) => ({
          input: {
            periodId: x.periodId,
            disciplineId: x.disciplineId,
            teacherId: x.teacher.id,
            startsAt: '2026-10-01T04:00:00.000Z',
            endsAt: '2026-10-01T06:00:00.000Z',
            format: 'TASK',
            taskText: 't',
            studentIds: [],
          },
        }),
      ],
      [
        'gradeSitting',
        'mutation { gradeSitting(sittingId:"00000000-0000-0000-0000-000000000000", score:100){ id } }',
        () => ({}),
      ],
    ];

    for (const [name, query, variables] of protectedOperations) {
      it(`is UNAUTHENTICATED for ${name}`, async () => {
        for (const token of [null, 'not-a-real-token']) {
          const result = await server.gql(token, query, variables(u));
          expect(result.errors?.[0]?.extensions?.code)
            .withContext(`${name} with token ${token}`)
            .toBe('UNAUTHENTICATED');
          expectNoStack(result);
        }
      });
    }

    it('did not let the anonymous upsertUsers create anyone', async () => {
      expect(await server.code(null, LOGIN, { l: 'intruder', p: 'secret' })).toBe('UNAUTHENTICATED');
    });

    it('is not accepted in another scheme than Bearer', async () => {
      const token = await server.login('staff');
      const res = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Basic ${token}` },
        body: JSON.stringify({ query: '{ users { id } }' }),
      });
      const body = (await res.json()) as GqlResult;
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('leaves the public queries open: me is null and serverTime answers', async () => {
      const data = await server.ok(null, '{ me { id } serverTime }');
      expect(data.me).toBeNull();
      expect(Math.abs(Date.parse(data.serverTime) - Date.now())).toBeLessThan(60_000);
    });
  });

  describe('over graphql-ws', () => {
    it('takes the token from connectionParams for queries', async () => {
      const token = await server.login('s01');
      const client = server.ws(token);
      try {
        const [result] = await nextPushes(client, ME, {}).done;
        expect(result.me).toEqual({ id: u.students[0].id, login: 's01', role: 'STUDENT' });
      } finally {
        await client.dispose();
      }
    });

    it('takes the token from connectionParams for subscriptions', async () => {
      const staff = await server.login('staff');
      const student = await server.login('s02');
      const examId = await createExam(server, staff, u);
      const client = server.ws(staff);
      try {
        const sub = nextPushes(
          client,
          'subscription($e:ID!){ sittingChanged(examId:$e){ student { login } enteredAt } }',
          { e: examId },
        );
        await sub.started;
        await server.ok(student, 'mutation($e:ID!){ enterExam(examId:$e){ id } }', { e: examId });
        const [push] = await sub.done;
        expect(push.sittingChanged.student.login).toBe('s02');
        expect(push.sittingChanged.enteredAt).toBeTruthy();
      } finally {
        await client.dispose();
      }
    });

    it('without a token, the socket is anonymous: me is null and subscriptions are UNAUTHENTICATED', async () => {
      const staff = await server.login('staff');
      const examId = await createExam(server, staff, u);
      const client = server.ws(null);
      try {
        const [result] = await nextPushes(client, ME, {}).done;
        expect(result.me).toBeNull();
        const refused = nextPushes(client, 'subscription($e:ID!){ sittingChanged(examId:$e){ id } }', {
          e: examId,
        }).done;
        await expectAsync(refused).toBeRejectedWithError(/UNAUTHENTICATED/);
        const refusedStudent = nextPushes(client, 'subscription($e:ID!){ questionsReleased(examId:$e){ id } }', {
          e: examId,
        }).done;
        await expectAsync(refusedStudent).toBeRejectedWithError(/UNAUTHENTICATED/);
      } finally {
        await client.dispose();
      }
    });

    it('stops honouring a token on an open socket once it is logged out', async () => {
      const token = await server.login('teacher');
      const client = server.ws(token);
      try {
        expect((await nextPushes(client, ME, {}).done)[0].me.login).toBe('teacher');
        await server.ok(token, 'mutation { logout }');
        expect((await nextPushes(client, ME, {}).done)[0].me).toBeNull();
      } finally {
        await client.dispose();
      }
    });
  });

  describe('password hashes', () => {
    const INTROSPECT = '{ __schema { types { name fields { name } inputFields { name } } } }';

    it('have no field anywhere in the schema, and the User type has no field about passwords', async () => {
      const data = await server.ok(null, INTROSPECT);
      const types: { name: string; fields: { name: string }[] | null; inputFields: { name: string }[] | null }[] =
        data.__schema.types;
      const allFields = types.flatMap((t) =>
        [...(t.fields ?? []), ...(t.inputFields ?? [])].map((f) => `${t.name}.${f.name}`),
      );
      expect(allFields.length).toBeGreaterThan(50);
      expect(allFields.filter((f) => /hash/i.test(f))).toEqual([]);

      const user = types.find((t) => t.name === 'User')!;
      expect(user.fields!.map((f) => f.name).sort()).toEqual(['externalId', 'fullName', 'id', 'login', 'role']);
      expect(user.fields!.filter((f) => /password/i.test(f.name))).toEqual([]);
    });

    it('never appear in responses that return users', async () => {
      const staff = await server.login('staff');
      const responses = [
        await server.gql(null, LOGIN, { l: 's01', p: 'pw' }),
        await server.gql(staff, '{ users { id login fullName role } me { id login } }'),
        await server.gql(
          staff,
          'mutation { upsertUsers(users:[{ login:"hash.check", fullName:"Hash Check", role:STUDENT, password:"hunter22" }]){ id login } }',
        ),
      ];
      for (const response of responses) {
        expect(response.errors).toBeUndefined();
        const raw = JSON.stringify(response);
        expect(raw).not.toContain('scrypt');
        expect(raw).not.toMatch(/passwordHash/i);
        expect(raw).not.toContain('hunter22');
      }
      expect(await server.code(staff, '{ users { id passwordHash } }')).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(await server.code(staff, '{ me { password } }')).toBe('GRAPHQL_VALIDATION_FAILED');
    });

    it('are stored as scrypt hashes, never as the password', async () => {
      const em = server.app.orm.em.fork();
      const rows = await em.getConnection().execute('select login, password_hash from users');
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows as { login: string; password_hash: string | null }[]) {
        if (row.password_hash == null) continue;
        expect(row.password_hash).toMatch(/^scrypt\$/);
        expect(row.password_hash).not.toContain('pw$');
      }
    });
  });
});

describe('passwords.ts', () => {
  it('hashes the same password differently on every call (a fresh salt)', async () => {
    const [a, b] = await Promise.all([hashPassword('correct horse'), hashPassword('correct horse')]);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toContain('correct horse');
  });

  it('verifies the right password against each of its hashes', async () => {
    const [a, b] = await Promise.all([hashPassword('correct horse'), hashPassword('correct horse')]);
    expect(await verifyPassword('correct horse', a)).toBeTrue();
    expect(await verifyPassword('correct horse', b)).toBeTrue();
  });

  it('rejects a wrong password, a near miss, and the empty password', async () => {
    const hash = await hashPassword('correct horse');
    expect(await verifyPassword('wrong horse', hash)).toBeFalse();
    expect(await verifyPassword('correct horse ', hash)).toBeFalse();
    expect(await verifyPassword('Correct horse', hash)).toBeFalse();
    expect(await verifyPassword('', hash)).toBeFalse();
  });

  it('rejects when there is no hash (unknown user, or no password set) or the hash is not a scrypt one', async () => {
    expect(await verifyPassword('anything', null)).toBeFalse();
    expect(await verifyPassword('anything', undefined)).toBeFalse();
    expect(await verifyPassword('', null)).toBeFalse();
    expect(await verifyPassword('anything', 'anything')).toBeFalse();
    expect(await verifyPassword('pw', 'md5$abc$def')).toBeFalse();
  });

  it('treats Unicode passwords the same whichever normal form they were typed in', async () => {
    const composed = 'Құпия сөз é';
    const hash = await hashPassword(composed);
    expect(await verifyPassword(composed.normalize('NFD'), hash)).toBeTrue();
    expect(await verifyPassword('Купия сөз é', hash)).toBeFalse();
  });
});
