import { seedUniversity, startTestServer, type TestServer } from '../../testing/harness';
import { AcademicYear, Discipline, Period } from '../calendar/calendar.entity';
import { User } from './user.entity';

const UPSERT_USERS = 'mutation($u:[UserInput!]!){ upsertUsers(users:$u){ id login fullName externalId } }';
const UPSERT_DISCIPLINES =
  'mutation($d:[DisciplineInput!]!){ upsertDisciplines(disciplines:$d){ id code title externalId } }';
const UPSERT_YEARS = `mutation($y:[AcademicYearInput!]!){ upsertAcademicYears(years:$y){
  id title externalId periods { id number title startsOn endsOn externalId } } }`;

describe('external ids (issue 13)', () => {
  let server: TestServer;
  let staff: string;

  beforeAll(async () => {
    server = await startTestServer();
    await seedUniversity(server, 2);
    staff = await server.login('staff');
  });
  afterAll(async () => server.stop());

  const count = <T extends object>(entity: new () => T) => server.app.orm.em.fork().count(entity, {});

  describe('upsertUsers', () => {
    it('matches by external id when given: the same feed twice creates nobody new and keeps the ids', async () => {
      const feed = [
        { login: 'ext.one', fullName: 'Ext One', role: 'STUDENT', externalId: 'SIS-1' },
        { login: 'ext.two', fullName: 'Ext Two', role: 'TEACHER', externalId: 'SIS-2' },
        { login: 's01', fullName: 'Student One', role: 'STUDENT', externalId: 'SIS-3' }, // an existing login gets its id
      ];
      const first = (await server.ok(staff, UPSERT_USERS, { u: feed })).upsertUsers;
      const people = await count(User);
      const second = (
        await server.ok(staff, UPSERT_USERS, { u: feed.map((p) => ({ ...p, fullName: `${p.fullName}!` })) })
      ).upsertUsers;
      expect(await count(User)).toBe(people);
      expect(second.map((p: any) => p.id)).toEqual(first.map((p: any) => p.id));
      expect(second.map((p: any) => [p.login, p.fullName, p.externalId])).toEqual([
        ['ext.one', 'Ext One!', 'SIS-1'],
        ['ext.two', 'Ext Two!', 'SIS-2'],
        ['s01', 'Student One!', 'SIS-3'],
      ]);
      // without an external id a person is still matched by login, and keeps the id they have
      const [again] = (
        await server.ok(staff, UPSERT_USERS, { u: [{ login: 'ext.one', fullName: 'E', role: 'STUDENT' }] })
      ).upsertUsers;
      expect([again.id, again.externalId]).toEqual([first[0].id, 'SIS-1']);
    });

    it('refuses an external id of another login, or a login that has another id (EXTERNAL_ID_CLASH), writing nothing', async () => {
      const before = await count(User);
      const taken = await server.gql(staff, UPSERT_USERS, {
        u: [
          { login: 'ext.new', fullName: 'New', role: 'STUDENT', externalId: 'SIS-9' },
          { login: 'ext.three', fullName: 'Three', role: 'STUDENT', externalId: 'SIS-1' },
        ],
      });
      expect(taken.errors?.[0].extensions).toEqual(
        jasmine.objectContaining({ code: 'EXTERNAL_ID_CLASH', externalId: 'SIS-1', login: 'ext.three' }),
      );
      expect(taken.errors?.[0].message).toContain('"ext.one"');
      const other = await server.code(staff, UPSERT_USERS, {
        u: [{ login: 'ext.one', fullName: 'One', role: 'STUDENT', externalId: 'SIS-77' }],
      });
      expect(other).toBe('EXTERNAL_ID_CLASH');
      expect(await count(User)).toBe(before);
      const twice = await server.code(staff, UPSERT_USERS, {
        u: [
          { login: 'a1', fullName: 'A', role: 'STUDENT', externalId: 'SAME' },
          { login: 'a2', fullName: 'B', role: 'STUDENT', externalId: 'SAME' },
        ],
      });
      expect(twice).toBe('BAD_USER_INPUT');
    });

    it('shows a person’s external id to staff only (null to a teacher)', async () => {
      const q = '{ users(role: STUDENT) { login externalId } }';
      const forStaff = (await server.ok(staff, q)).users.find((p: any) => p.login === 's01');
      expect(forStaff.externalId).toBe('SIS-3');
      const teacher = await server.login('teacher');
      const forTeacher = (await server.ok(teacher, q)).users.find((p: any) => p.login === 's01');
      expect(forTeacher.externalId).toBeNull();
    });

    it('finds people by external id for staff, and refuses the lookup to a teacher (FORBIDDEN)', async () => {
      const q = 'query($x:[String!]){ usersConnection(externalIds:$x){ totalCount nodes { login externalId } } }';
      const found = (await server.ok(staff, q, { x: ['SIS-3', 'SIS-2', 'NO-SUCH'] })).usersConnection;
      expect(found.totalCount).toBe(2);
      expect(found.nodes.map((p: any) => [p.login, p.externalId]).sort()).toEqual([
        ['ext.two', 'SIS-2'],
        ['s01', 'SIS-3'],
      ]);
      expect((await server.ok(staff, q, { x: [] })).usersConnection.totalCount).toBe(0);
      const teacher = await server.login('teacher');
      expect(await server.code(teacher, q, { x: ['SIS-3'] })).toBe('FORBIDDEN');
      // a teacher's own search is not affected
      expect(
        (await server.ok(teacher, '{ usersConnection(search: "s01") { totalCount } }')).usersConnection.totalCount,
      ).toBeGreaterThan(0);
    });

    it('shows it to an API client with users:read, and refuses one without (missingScope)', async () => {
      const create = 'mutation($i:ApiClientInput!){ createApiClient(input:$i){ token } }';
      const reader = (await server.ok(staff, create, { i: { name: 'SIS', scopes: ['USERS_READ'] } })).createApiClient;
      const calendar = (await server.ok(staff, create, { i: { name: 'Cal', scopes: ['CALENDAR_READ'] } }))
        .createApiClient;
      const q = '{ users(role: STUDENT) { login externalId } }';
      const read = (await server.ok(reader.token, q)).users.find((p: any) => p.login === 's01');
      expect(read.externalId).toBe('SIS-3');
      // reaching a person without users:read: the people list needs it, and so does the external id
      const refused = await server.gql(calendar.token, q);
      expect(refused.errors?.[0].extensions).toEqual(
        jasmine.objectContaining({ code: 'FORBIDDEN', missingScope: 'users:read' }),
      );
    });
  });

  describe('the calendar', () => {
    it('upsertDisciplines matches by external id, else code; twice is the same; a clash is refused', async () => {
      const list = [
        { code: 'DB-1', title: 'Databases I', externalId: 'D-1' }, // the seeded discipline takes its id
        { code: 'OS-1', title: 'Operating systems', externalId: 'D-2' },
      ];
      const first = (await server.ok(staff, UPSERT_DISCIPLINES, { d: list })).upsertDisciplines;
      const disciplines = await count(Discipline);
      const second = (await server.ok(staff, UPSERT_DISCIPLINES, { d: list })).upsertDisciplines;
      expect(await count(Discipline)).toBe(disciplines);
      expect(second).toEqual(first);
      expect(first.map((d: any) => [d.code, d.title, d.externalId])).toEqual([
        ['DB-1', 'Databases I', 'D-1'],
        ['OS-1', 'Operating systems', 'D-2'],
      ]);
      expect(
        await server.code(staff, UPSERT_DISCIPLINES, { d: [{ code: 'NET-1', title: 'Networks', externalId: 'D-1' }] }),
      ).toBe('EXTERNAL_ID_CLASH');
      expect(await count(Discipline)).toBe(disciplines);
    });

    it('upsertAcademicYears loads a year with its periods by external id; twice changes nothing', async () => {
      const years = [
        {
          title: '2027-2028',
          startsOn: '2027-09-01',
          endsOn: '2028-06-30',
          externalId: 'Y-27',
          periods: [
            { number: 1, title: 'Autumn', startsOn: '2027-09-01', endsOn: '2027-12-31', externalId: 'P-27-1' },
            { number: 2, title: 'Spring', startsOn: '2028-01-10', endsOn: '2028-06-30', externalId: 'P-27-2' },
          ],
        },
        // the seeded year gets ids for itself and its first period
        {
          title: '2026-2027',
          startsOn: '2026-09-01',
          endsOn: '2027-06-30',
          externalId: 'Y-26',
          periods: [{ number: 1, title: 'Autumn', startsOn: '2026-09-01', endsOn: '2026-12-31', externalId: 'P-26-1' }],
        },
      ];
      const first = (await server.ok(staff, UPSERT_YEARS, { y: years })).upsertAcademicYears;
      const counts = [await count(AcademicYear), await count(Period)];
      expect(counts).toEqual([2, 4]);
      const second = (await server.ok(staff, UPSERT_YEARS, { y: years })).upsertAcademicYears;
      expect([await count(AcademicYear), await count(Period)]).toEqual(counts);
      expect(second).toEqual(first);
      expect(first[1].periods.map((p: any) => [p.number, p.externalId])).toEqual([
        [1, 'P-26-1'],
        [2, null],
      ]);
      const moved = await server.code(staff, UPSERT_YEARS, {
        y: [{ ...years[0], periods: [{ ...years[0].periods[0], number: 3 }] }],
      });
      expect(moved).toBe('EXTERNAL_ID_CLASH');
      const backwards = await server.code(staff, UPSERT_YEARS, {
        y: [{ ...years[0], startsOn: '2028-09-01', periods: [] }],
      });
      expect(backwards).toBe('BAD_USER_INPUT');
    });
  });
});
