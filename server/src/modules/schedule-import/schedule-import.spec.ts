import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { seedUniversity, startTestServer, uploadFiles, type TestServer, type University } from '../../testing/harness';
import { Exam } from '../exams/exam.entity';
import { Sitting } from '../sittings/sitting.entity';
import { User } from '../users/user.entity';

const HEADER = 'discipline,teacher,period,date,start,end,format,ticketMode,students,externalId';
const IMPORT = `mutation($rows:[ScheduleRowInput!]!,$dry:Boolean!){ importSchedule(rows:$rows, dryRun:$dry){
  dryRun created updated unchanged rows { row outcome examId } problems { row column code params { name value } message } } }`;
const EXAMS = 'query($p:ID!){ exams(periodId:$p){ id startsAt endsAt format ticketAssignment externalId } }';

const csv = (...lines: string[]) => [HEADER, ...lines].join('\r\n') + '\r\n';
const GOOD = [
  'DB-1,teacher,2026-2027/1,2026-12-20,09:00,11:00,TICKETS,RANDOM,s01;s02,EX-1',
  'DB-1,teacher,2026-2027/1,21.12.2026,14:00,15:30,TASK,,"s01, s03",',
];

describe('schedule import (issue 13)', () => {
  let server: TestServer;
  let u: University;
  let staff: string;

  beforeAll(async () => {
    server = await startTestServer({
      importMaxCellChars: 200,
      importMaxRows: 20,
      importMaxFileBytes: 16384,
      importMaxUnpackedBytes: 256 * 1024,
    });
    u = await seedUniversity(server, 3);
    staff = await server.login('staff');
    await server.ok(staff, 'mutation($u:[UserInput!]!){ upsertUsers(users:$u){ id } }', {
      u: [{ login: 's03', fullName: 'Test s03', role: 'STUDENT', externalId: 'SIS-S03' }],
    });
  });
  afterAll(async () => server.stop());

  const upload = (content: string | Buffer, dryRun: boolean, name = 'schedule.csv', token: string | null = staff) =>
    uploadFiles(server, token, `/files/schedule-import${dryRun ? '' : '?dryRun=false'}`, [{ name, content }]);
  const examCount = () => server.app.orm.em.fork().count(Exam, {});

  it('a dry run names every problem of every row (row, column, code, params, English sentence) and writes nothing', async () => {
    const long = 'x'.repeat(201);
    const rows = [
      /* 2 */ ',teacher,2026-2027/1,2026-12-20,09:00,11:00,TICKETS,,,',
      /* 3 */ `DB-1,teacher,2026-2027/1,2026-12-20,09:00,11:00,TICKETS,,,${long}`,
      /* 4 */ 'DB-1,teacher,2026-2027/1,2026-02-30,09:00,11:00,TICKETS,,,',
      /* 5 */ 'DB-1,teacher,2026-2027/1,2026-12-20,9h,11:00,TICKETS,,,',
      /* 6 */ 'DB-1,teacher,2026-2027/1,2026-12-20,09:00,11:00,ORAL,,,',
      /* 7 */ 'DB-1,teacher,2026-2027/1,2026-12-20,09:00,11:00,TICKETS,LOTTERY,,',
      /* 8 */ 'DB-1,teacher,2026-2027/1,2026-12-20,09:00,11:00,TASK,RANDOM,,',
      /* 9 */ 'NOPE-1,teacher,2026-2027/1,2026-12-20,09:00,11:00,TICKETS,,,',
      /* 10 */ 'DB-1,teacher,2030-2031/1,2026-12-20,09:00,11:00,TICKETS,,,',
      /* 11 */ 'DB-1,nobody,2026-2027/1,2026-12-20,09:00,11:00,TICKETS,,,',
      /* 12 */ 'DB-1,s01,2026-2027/1,2026-12-20,09:00,11:00,TICKETS,,,',
      /* 13 */ 'DB-1,teacher,2026-2027/1,2026-12-20,09:00,11:00,TICKETS,,s01;ghost,',
      /* 14 */ 'DB-1,teacher,2026-2027/1,2026-12-20,09:00,11:00,TICKETS,,teacher2,',
      /* 15 */ 'DB-1,teacher,2026-2027/1,2026-12-20,11:00,09:00,TICKETS,,,',
      /* 16 */ 'DB-1,teacher,2026-2027/1,2027-02-01,09:00,11:00,TICKETS,,,',
      /* 17 */ 'DB-1,teacher,2026-2027/1,2026-12-22,09:00,11:00,TICKETS,,,',
      /* 18 */ 'DB-1,teacher,2026-2027/1,22.12.2026,09:00,11:00,TICKETS,,,',
    ];
    const { status, body } = await upload(csv(...rows), true);
    expect(status).toBe(200);
    expect(body.dryRun).toBeTrue();
    const seen = body.problems.map((p: any) => [
      p.row,
      p.column,
      p.code,
      Object.fromEntries(p.params.map((x: any) => [x.name, x.value])),
    ]);
    expect(seen).toEqual([
      [2, 'discipline', 'REQUIRED', {}],
      [3, 'externalId', 'CELL_TOO_LONG', { max: '200' }],
      [4, 'date', 'BAD_DATE', { value: '2026-02-30' }],
      [5, 'start', 'BAD_TIME', { value: '9h' }],
      [6, 'format', 'BAD_FORMAT', { value: 'ORAL' }],
      [7, 'ticketMode', 'BAD_TICKET_MODE', { value: 'LOTTERY' }],
      [8, 'ticketMode', 'TICKET_MODE_FOR_TASK', {}],
      [9, 'discipline', 'UNKNOWN_DISCIPLINE', { value: 'NOPE-1' }],
      [10, 'period', 'UNKNOWN_PERIOD', { value: '2030-2031/1' }],
      [11, 'teacher', 'UNKNOWN_TEACHER', { value: 'nobody' }],
      [12, 'teacher', 'NOT_A_TEACHER', { value: 's01' }],
      [13, 'students', 'UNKNOWN_STUDENT', { value: 'ghost' }],
      [14, 'students', 'NOT_A_STUDENT', { value: 'teacher2' }],
      [15, 'end', 'END_NOT_AFTER_START', {}],
      [16, 'date', 'OUTSIDE_PERIOD', { startsOn: '2026-09-01', endsOn: '2026-12-31' }],
      [18, null, 'DUPLICATE_ROW', { row: '17' }],
    ]);
    expect(body.problems.find((p: any) => p.code === 'OUTSIDE_PERIOD').message).toBe(
      'The date is outside the period (2026-09-01 to 2026-12-31).',
    );
    expect(body.rows.map((r: any) => r.outcome)).toEqual([...Array(15).fill('PROBLEM'), 'CREATED', 'PROBLEM']);
    expect(await examCount()).toBe(0);
  });

  it('the import is all or nothing: one bad row writes nothing (SCHEDULE_HAS_PROBLEMS); fixed, every row is written', async () => {
    const bad = await upload(csv(GOOD[0], 'DB-1,teacher,2026-2027/1,2026-12-21,14:00,13:00,TASK,,s01,'), false);
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('SCHEDULE_HAS_PROBLEMS');
    expect(bad.body.error.problems.map((p: any) => [p.row, p.code])).toEqual([[3, 'END_NOT_AFTER_START']]);
    expect(await examCount()).toBe(0);

    const { status, body } = await upload(csv(...GOOD), false);
    expect(status).toBe(200);
    expect([body.created, body.updated, body.unchanged, body.problems.length]).toEqual([2, 0, 0, 0]);
    const { exams } = await server.ok(staff, EXAMS, { p: u.periodId });
    expect(exams.map((e: any) => [e.startsAt, e.endsAt, e.format, e.ticketAssignment, e.externalId])).toEqual(
      jasmine.arrayWithExactContents([
        // Asia/Almaty is UTC+5: 09:00 there is 04:00Z
        ['2026-12-20T04:00:00.000Z', '2026-12-20T06:00:00.000Z', 'TICKETS', 'RANDOM', 'EX-1'],
        ['2026-12-21T09:00:00.000Z', '2026-12-21T10:30:00.000Z', 'TASK', null, null],
      ]),
    );
    const task = body.rows[1].examId;
    const em = server.app.orm.em.fork();
    const enrolled = await em.find(Sitting, { exam: task }, { populate: ['student'] });
    expect(enrolled.map((s) => s.student.login).sort()).toEqual(['s01', 's03']); // s03 by its external id
  });

  it('the same file again changes nothing (0 created, 0 updated); a changed row updates its exam', async () => {
    const again = await upload(csv(...GOOD), false);
    expect([again.body.created, again.body.updated, again.body.unchanged]).toEqual([0, 0, 2]);
    expect(await examCount()).toBe(2);

    const moved = GOOD[0].replace('09:00,11:00', '10:00,12:00'); // matched by its external id EX-1
    const dry = await upload(csv(moved, GOOD[1]), true);
    expect([dry.body.created, dry.body.updated, dry.body.unchanged]).toEqual([0, 1, 1]);
    const real = await upload(csv(moved, GOOD[1]), false);
    expect([real.body.created, real.body.updated, real.body.unchanged]).toEqual([0, 1, 1]);
    const exam = await server.app.orm.em.fork().findOneOrFail(Exam, { externalId: 'EX-1' });
    expect(exam.startsAt.toISOString()).toBe('2026-12-20T05:00:00.000Z');
    expect(await examCount()).toBe(2);
  });

  it("a change the exam's rules refuse is the row's problem (REFUSED), found by the dry run", async () => {
    const em = server.app.orm.em.fork();
    const exam = await em.findOneOrFail(Exam, { externalId: 'EX-1' });
    const s02 = await em.findOneOrFail(User, { login: 's02' });
    const sitting = await em.findOneOrFail(Sitting, { exam: exam.id, student: s02.id });
    sitting.enteredAt = new Date();
    await em.flush();
    const dropped = 'DB-1,teacher,2026-2027/1,2026-12-20,10:00,12:00,TICKETS,RANDOM,s01,EX-1';
    const { body } = await upload(csv(dropped), true);
    expect(body.problems.map((p: any) => [p.row, p.column, p.code])).toEqual([[2, null, 'REFUSED']]);
    expect(body.problems[0].params).toEqual([
      { name: 'reason', value: 'A student who has already entered the exam cannot be removed from it.' },
    ]);
    expect((await upload(csv(dropped), false)).body.error.code).toBe('SCHEDULE_HAS_PROBLEMS');
    expect(await server.app.orm.em.fork().count(Sitting, { exam: exam.id })).toBe(2);
  });

  it('reads an XLSX workbook (dates and times as spreadsheet values) to the same rows as the CSV', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Schedule');
    sheet.addRow([
      'Discipline',
      'Teacher',
      'Period',
      'Date',
      'Start',
      'End',
      'Format',
      'Ticket mode',
      'Students',
      'External id',
    ]);
    sheet.addRow([
      'DB-1',
      'teacher',
      '2026-2027/1',
      new Date(Date.UTC(2026, 11, 21)),
      new Date(Date.UTC(1899, 11, 30, 14, 0)),
      0.5 + 1.5 / 24, // 13:30 as a fraction of the day
      'TASK',
      null,
      's01 SIS-S03',
      null,
    ]);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    // 14:00–13:30 is refused like the CSV row would be
    const bad = await upload(bytes, true, 'schedule.xlsx');
    expect(bad.status).withContext(JSON.stringify(bad.body)).toBe(200);
    expect(bad.body.problems.map((p: any) => [p.row, p.code])).toEqual([[2, 'END_NOT_AFTER_START']]);
    sheet.getRow(2).getCell(6).value = 15.5 / 24;
    const fixed = Buffer.from(await workbook.xlsx.writeBuffer());
    const { status, body } = await upload(fixed, false, 'schedule.xlsx');
    expect(status).toBe(200);
    expect([body.created, body.updated, body.unchanged]).toEqual([0, 0, 1]); // GOOD[1], imported from the CSV
  });

  it('importSchedule takes the same rows from another system, with the same problems and idempotence', async () => {
    const rows = [
      {
        discipline: 'DB-1',
        teacher: 'teacher2',
        period: '2026-2027/1',
        date: '2026-12-23',
        start: '09:00',
        end: '10:00',
        format: 'TICKETS',
        students: ['s01', 'SIS-S03'],
        externalId: 'EX-9',
      },
      {
        discipline: 'DB-1',
        teacher: 'teacher2',
        period: '2026-2027/1',
        date: '2026-12-24',
        start: '09:00',
        end: '10:00',
        format: 'tickets',
        ticketMode: 'staff',
      },
    ];
    const dry = await server.ok(staff, IMPORT, { rows: [...rows, { ...rows[1], teacher: 'ghost' }], dry: true });
    expect(dry.importSchedule.problems.map((p: any) => [p.row, p.column, p.code])).toEqual([
      [3, 'teacher', 'UNKNOWN_TEACHER'],
    ]);
    expect(dry.importSchedule.created).toBe(2);
    const refused = await server.gql(staff, IMPORT, { rows: [...rows, { ...rows[1], teacher: 'ghost' }], dry: false });
    expect(refused.errors?.[0].extensions?.code).toBe('SCHEDULE_HAS_PROBLEMS');
    expect(await examCount()).toBe(2);
    const first = await server.ok(staff, IMPORT, { rows, dry: false });
    expect([first.importSchedule.created, first.importSchedule.updated]).toEqual([2, 0]);
    const second = await server.ok(staff, IMPORT, { rows, dry: false });
    expect([second.importSchedule.created, second.importSchedule.updated, second.importSchedule.unchanged]).toEqual([
      0, 0, 2,
    ]);
    expect(await server.code(staff, IMPORT, { rows: [], dry: true })).toBe('IMPORT_FILE_INVALID');
    const teacher = await server.login('teacher');
    expect(await server.code(teacher, IMPORT, { rows, dry: true })).toBe('FORBIDDEN');
  });

  it('bounds: size, rows, malformed files and missing columns are IMPORT_FILE_INVALID with a reason, never a 500', async () => {
    const cases: [string | Buffer, string, number, string][] = [
      [
        csv(
          ...Array(5)
            .fill(GOOD[1])
            .map((r, i) => r + ' '.repeat(4000) + i),
        ),
        'big.csv',
        413,
        'TOO_LARGE',
      ],
      [
        csv(...Array.from({ length: 21 }, (_, i) => GOOD[1].replace('14:00', `${String(i).padStart(2, '0')}:01`))),
        'rows.csv',
        400,
        'TOO_MANY_ROWS',
      ],
      [Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)]), 'broken.xlsx', 400, 'UNREADABLE'],
      [Buffer.from([0, 1, 2, 255, 254, 0, 9]), 'binary.csv', 400, 'NOT_A_SCHEDULE'],
      ['discipline,teacher,date\r\nDB-1,teacher,2026-12-20\r\n', 'short.csv', 400, 'MISSING_COLUMNS'],
      ['', 'empty.csv', 400, 'EMPTY'],
      [csv('DB-1,teacher,"2026-12-20,09:00'), 'quote.csv', 400, 'UNREADABLE'],
    ];
    for (const [content, name, status, reason] of cases) {
      const result = await upload(content, true, name);
      expect([result.status, result.body.error?.code, result.body.error?.reason])
        .withContext(name)
        .toEqual([status, 'IMPORT_FILE_INVALID', reason]);
    }
    const missing = await upload(cases[4][0], true, 'short.csv');
    expect(missing.body.error.params).toEqual({ columns: 'period, start, end, format' });
    const teacher = await server.login('teacher');
    expect((await upload(csv(GOOD[1]), true, 'schedule.csv', teacher)).status).toBe(403);
    expect((await upload(csv(GOOD[1]), true, 'schedule.csv', null)).status).toBe(401);
  });

  it('an XLSX that unpacks past IMPORT_MAX_UNPACKED_KB is refused before it is read, whatever sizes its zip declares', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Schedule');
    sheet.addRow(HEADER.split(','));
    sheet.addRow([
      'DB-1',
      'teacher',
      '2026-2027/1',
      '2026-12-20',
      '09:00',
      '11:00',
      'TASK',
      '',
      's01 '.repeat(100_000),
      '',
    ]);
    const bomb = Buffer.from(await workbook.xlsx.writeBuffer());
    expect(bomb.length).toBeLessThan(16384); // under IMPORT_MAX_FILE_KB: only the unpacked size can refuse it
    // every central directory entry claims to unpack to 10 bytes: the claim is not what is counted
    for (let at = bomb.indexOf('PK\x01\x02', 0, 'latin1'); at >= 0; at = bomb.indexOf('PK\x01\x02', at + 4, 'latin1'))
      bomb.writeUInt32LE(10, at + 24);
    const refused = await upload(bomb, true, 'bomb.xlsx');
    expect([refused.status, refused.body.error?.code, refused.body.error?.reason]).toEqual([
      413,
      'IMPORT_FILE_INVALID',
      'UNPACKS_TOO_LARGE',
    ]);
    expect(refused.body.error.params).toEqual({ maxKb: 256 });
  });

  it('two imports of the same exams at once write it once: the other finds it unchanged or is refused, never a 500', async () => {
    const rows = [
      {
        discipline: 'DB-1',
        teacher: 'teacher',
        period: '2026-2027/1',
        date: '2026-12-28',
        start: '09:00',
        end: '10:00',
        format: 'TASK',
        externalId: 'EX-RACE',
      },
    ];
    const results = await Promise.all([1, 2].map(() => server.gql(staff, IMPORT, { rows, dry: false })));
    const outcomes = results.map((r) => r.errors?.[0].extensions?.code ?? `created ${r.data.importSchedule.created}`);
    const winner = outcomes.indexOf('created 1');
    expect(winner).withContext(JSON.stringify(outcomes)).not.toBe(-1);
    expect(['created 0', 'BAD_USER_INPUT']).toContain(outcomes[1 - winner]);
    expect(await server.app.orm.em.fork().count(Exam, { externalId: 'EX-RACE' })).toBe(1);
  });

  it("README's example file (scripts/examples/schedule.csv) imports into the demo university", async () => {
    const demo = await startTestServer({ seedDemo: true });
    try {
      const token = await demo.login('staff', 'demo');
      const example = fs.readFileSync(path.resolve(__dirname, '../../../../scripts/examples/schedule.csv'));
      const dry = await uploadFiles(demo, token, '/files/schedule-import', [
        { name: 'schedule.csv', content: example },
      ]);
      expect([dry.status, dry.body.problems, dry.body.created]).toEqual([200, [], 3]);
    } finally {
      await demo.stop();
    }
  });
});
