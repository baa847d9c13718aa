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
    // issue 12: this demo exam publishes each grade as it is saved (AT_ONCE)
    expect(journal.myJournal.find((r: any) => r.discipline.title === 'Деректер қорлары').grade.letter).toBe('B-');
  });

  it('has an exam whose results are published, one grade corrected with a reason (issue 12)', async () => {
    const finished = byTitle('Қазақстанның қазіргі заман тарихы');
    const seen = await server.ok(
      staff,
      'query($e:ID!){ exam(id:$e){ resultsRelease resultsPublishedAt resultsPublishedBy { login } sittings { grade { score } gradePublishedAt gradeHistory { kind previousScore reason } } } }',
      { e: finished.id },
    );
    expect(seen.exam.resultsRelease).toBe('ON_PUBLICATION');
    expect(seen.exam.resultsPublishedBy).toEqual({ login: 'teacher' });
    expect(
      seen.exam.sittings.every((x: any) => x.gradePublishedAt && x.gradeHistory[0].kind === 'PUBLISHED'),
    ).toBeTrue();
    // the appeals demo adds an APPEAL_DECIDED entry to another sitting of this exam
    const corrections = seen.exam.sittings.flatMap((x: any) =>
      x.gradeHistory.filter((h: any) => h.kind === 'CORRECTED').map((h: any) => [x.grade.score, h.previousScore]),
    );
    expect(corrections).toEqual([[56, 52]]);
  });

  it('schedules a retake for the FX student of the published exam, on the grades after appeals (E6)', async () => {
    const LINKS = `query($y:ID!){ myExams(academicYearId:$y){ id startsAt discipline { title } retakeOf { id } retakes { id } } }`;
    const history = async (login: string) =>
      (await server.ok(await server.login(login, 'demo'), LINKS, { y: yearId })).myExams.filter(
        (e: any) => e.discipline.title === 'Қазақстанның қазіргі заман тарихы',
      );
    // student11: 45, FX, published
    const fx = await history('student11');
    expect(fx.length).toBe(2);
    const [original, retake] = fx;
    expect(retake.retakeOf).toEqual({ id: original.id });
    expect(original.retakes).toEqual([{ id: retake.id }]);
    expect(Date.parse(retake.startsAt)).toBeGreaterThan(Date.now());
    // student10's 40 (FX) was raised to 55 on appeal before the retake: not enrolled; nor is a passing student
    expect((await history('student10')).map((e: any) => e.id)).toEqual([original.id]);
    expect(exams.filter((e) => e.discipline.title === 'Қазақстанның қазіргі заман тарихы').length).toBe(1);
    const { exam } = await server.ok(staff, 'query($e:ID!){ exam(id:$e){ sittings { student { login } } } }', {
      e: retake.id,
    });
    expect(exam.sittings.map((s: any) => s.student.login)).toEqual(['student11']);
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
