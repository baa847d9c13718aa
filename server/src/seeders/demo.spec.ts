import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../app';
import { loadConfig } from '../config';
import { startTestServer, type TestServer } from '../testing/harness';

const EXAM_LIST = `query($y:ID!){ myExams(academicYearId:$y){ id format ticketAssignment startsAt endsAt discipline{ title } task{ text }
  platform{ url } recording{ url } ticketBoard{ id taken } mySitting{ id ticketNumber grade{ score letter } } } }`;

/** The demo university lets the whole flow run through GraphQL alone, as the README promises. */
describe('the demo university', () => {
  let server: TestServer;
  let exams: any[];
  let student: string;
  let staff: string;
  let teacher: string;
  let yearId: string;

  beforeAll(async () => {
    server = await startTestServer({ seedDemo: true });
    [student, staff, teacher] = await Promise.all(
      ['student01', 'staff', 'teacher'].map((l) => server.login(l, 'demo')),
    );
    const years = await server.ok(
      student,
      '{ academicYears { id title startsOn endsOn periods { id startsOn endsOn } } }',
    );
    const today = new Date().toISOString().slice(0, 10);
    yearId = (years.academicYears.find((y: any) => y.startsOn <= today && today <= y.endsOn) ?? years.academicYears[0])
      .id;
    exams = (await server.ok(student, EXAM_LIST, { y: yearId })).myExams;
  });
  afterAll(() => server.stop());

  const byTitle = (title: string) => exams.find((e) => e.discipline.title === title);

  it('places an exam in every state around the moment of seeding', () => {
    expect(exams.length).toBe(5);
    const now = Date.now();
    const open = exams.filter((e) => Date.parse(e.startsAt) <= now && now < Date.parse(e.endsAt));
    expect(open.map((e) => e.format).sort()).toEqual(['TASK', 'TICKETS', 'TICKETS']);
    expect(open.some((e) => e.ticketAssignment === 'RANDOM')).toBeTrue();
    expect(exams.some((e) => Date.parse(e.startsAt) > now && e.ticketBoard === null)).toBeTrue();
    const finished = byTitle('Қазақстанның қазіргі заман тарихы');
    expect(finished.mySitting.grade.letter).toBe('A');
    expect(finished.recording.url).toMatch(/^https:/);
    expect(byTitle('Деректер қорлары').platform.url).toMatch(/^https:/);
    expect(byTitle('Компьютерлік желілер').task.text.length).toBeGreaterThan(10);
  });

  it('runs enter, choose, wait, release, view, save, upload, submit, lock, grade and journal', async () => {
    const exam = byTitle('Деректер қорлары');
    const e = exam.id;
    await server.ok(student, 'mutation($e:ID!){ enterExam(examId:$e){ enteredAt } }', { e });
    await server.ok(student, 'mutation($e:ID!,$t:ID!){ chooseTicket(examId:$e,ticketId:$t){ ticketNumber } }', {
      e,
      t: exam.ticketBoard[0].id,
    });
    const waiting = await server.ok(student, 'mutation($e:ID!){ showTicketQuestions(examId:$e){ __typename } }', { e });
    expect(waiting.showTicketQuestions.__typename).toBe('QuestionsPending');
    const me = await server.ok(student, '{ me { id } }');
    await server.ok(staff, 'mutation($e:ID!,$s:[ID!]){ releaseQuestions(examId:$e, studentIds:$s){ id } }', {
      e,
      s: [me.me.id],
    });
    const shown = await server.ok(
      student,
      'mutation($e:ID!){ showTicketQuestions(examId:$e){ ... on TicketQuestions { questions } } }',
      { e },
    );
    expect(shown.showTicketQuestions.questions).toContain('1.');
    await server.ok(
      student,
      'mutation($e:ID!){ saveAnswer(examId:$e, text:"A first draft of my answer"){ savedAt } }',
      { e },
    );
    const form = new FormData();
    form.append('file', new Blob(['diagram']), 'diagram.png');
    expect(
      (
        await fetch(`${server.url}/files/answers/${e}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${student}` },
          body: form,
        })
      ).status,
    ).toBe(201);
    await server.ok(
      student,
      'mutation($e:ID!){ submitAnswer(examId:$e, text:"My final answer to all three questions"){ submittedAt } }',
      { e },
    );
    expect(
      await server.code(student, 'mutation($e:ID!){ saveAnswer(examId:$e, text:"one more change"){ savedAt } }', { e }),
    ).toBe('ANSWER_SUBMITTED');
    const room = await server.ok(
      teacher,
      'query($e:ID!){ exam(id:$e){ sittings { id student { login } answer { status } } } }',
      { e },
    );
    const sitting = room.exam.sittings.find((s: any) => s.student.login === 'student01');
    expect(sitting.answer.status).toBe('SUBMITTED');
    await server.ok(teacher, 'mutation($s:ID!){ gradeSitting(sittingId:$s, score:78){ id } }', { s: sitting.id });
    const journal = await server.ok(
      student,
      'query($y:ID!){ myJournal(academicYearId:$y){ discipline{ title } grade{ letter } } }',
      { y: yearId },
    );
    expect(journal.myJournal.find((r: any) => r.discipline.title === 'Деректер қорлары').grade.letter).toBe('B-');
  });

  it('schedules a retake for the FX student of the published finished exam (E6)', async () => {
    const fx = await server.login('student10', 'demo');
    const LINKS = `query($y:ID!){ myExams(academicYearId:$y){ id startsAt discipline { title } retakeOf { id } retakes { id } } }`;
    const mine = (await server.ok(fx, LINKS, { y: yearId })).myExams;
    const history = mine.filter((e: any) => e.discipline.title === 'Қазақстанның қазіргі заман тарихы');
    expect(history.length).toBe(2);
    const [original, retake] = history;
    expect(retake.retakeOf).toEqual({ id: original.id });
    expect(original.retakes).toEqual([{ id: retake.id }]);
    expect(Date.parse(retake.startsAt)).toBeGreaterThan(Date.now());
    // a passing student of the same exam is not enrolled
    expect(exams.filter((e) => e.discipline.title === 'Қазақстанның қазіргі заман тарихы').length).toBe(1);
  });

  it('draws a ticket for a student entering the RANDOM exam', async () => {
    const random = exams.find((e) => e.ticketAssignment === 'RANDOM');
    const entered = await server.ok(student, 'mutation($e:ID!){ enterExam(examId:$e){ ticketNumber } }', {
      e: random.id,
    });
    expect(entered.enterExam.ticketNumber).toBeGreaterThan(0);
  });
});

describe('a second start on the same data directory', () => {
  it('keeps all data and does not seed again', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestation-restart-'));
    const config = loadConfig(
      {},
      { port: 0, host: '127.0.0.1', dataDir, databaseUrl: undefined, seedDemo: true, clientDir: undefined },
    );
    const first = await createApp(config);
    const login = async (url: string) =>
      (await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'mutation { login(login:"staff", password:"demo"){ token } }' }),
      }).then((r) => r.json())) as any;
    const token = (await login(first.url)).data.login.token;
    await first.stop();
    const second = await createApp(config);
    try {
      const users = (await fetch(`${second.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ users { login } }' }),
      }).then((r) => r.json())) as any;
      expect(users.data.users.length).toBe(33); // the same people, not a second seeding; and the session survived
    } finally {
      await second.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
