import type { Client as WsClient } from 'graphql-ws';
import {
  addTickets,
  CREATE_EXAM,
  createExam,
  minutes,
  nextPushes,
  seedUniversity,
  startTestServer,
  updateExam,
  uploadFiles,
  type TestServer,
  type University,
} from '../../testing/harness';
import { User } from '../users/user.entity';
import { BlindCodes } from './blind-codes';

/** Who the students are, as a leak would show them: ids, logins, names and the names of the files they uploaded. */
const PEOPLE = [
  { login: 'aigerim.nurlan', fullName: 'Айгерім Нұрланқызы', file: 'Нұрланқызы_жауап.pdf' },
  { login: 'daniyar.seitkali', fullName: 'Данияр Сейтқали', file: 'Seitkali Daniyar answer.PDF' },
  { login: 'marat.zhumabek', fullName: 'Марат Жұмабек', file: 'zhumabek' },
  { login: 'saule.omarova', fullName: 'Сәуле Омарова', file: 'omarova.docx' },
];

const SITTING = `id blind blindCode ticketNumber answerStatus answerSendMode
  student { id login fullName role }
  answer { text files { id name url } }
  grade { score letter gradedBy { login } }
  events { kind detail actor { id login fullName } }`;
const EXAM = `query($e:ID!){ exam(id:$e){ id blindMarking sittings { ${SITTING} } tickets { number takenBy { id login fullName } } } }`;
const SITTING_CHANGED = `subscription($e:ID!){ sittingChanged(examId:$e){ ${SITTING} } }`;
const GRADE = `mutation($s:ID!,$score:Int!){ gradeSitting(sittingId:$s, score:$score){ ${SITTING} } }`;
const JOURNAL = `query($d:ID!,$p:ID!){ journal(disciplineId:$d, periodId:$p){ sittingId gradeDraft student { id login fullName } exam { id } grade { score } sendMode } }`;
const PUBLISH = 'mutation($e:ID!){ publishResults(examId:$e){ id resultsPublishedAt } }';
const UPDATE = 'mutation($id:ID!,$input:ExamInput!){ updateExam(id:$id, input:$input, confirmStarted:true){ id } }';
const CHOOSE = 'mutation($e:ID!,$t:ID!){ chooseTicket(examId:$e, ticketId:$t){ id } }';
const SHOW = 'mutation($e:ID!){ showTicketQuestions(examId:$e){ __typename } }';
const SUBMIT = 'mutation($e:ID!,$t:String!){ submitAnswer(examId:$e, text:$t){ status } }';
const CODE = /^[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{2}$/;

interface JournalSeen {
  sittingId: string;
  gradeDraft: boolean;
  student: { id: string; login: string; fullName: string };
  exam: { id: string };
  grade: { score: number } | null;
}

interface SeenSitting {
  id: string;
  blind: boolean;
  blindCode: string | null;
  student: { id: string; login: string; fullName: string };
  answer: { files: { id: string; name: string; url: string }[] } | null;
  events: { kind: string; detail: string | null; actor: { id: string; login: string; fullName: string } | null }[];
}

/** Blind marking (issue 12): the teacher never learns whose answer it is before publication; staff always do. */
describe('blind marking', () => {
  let server: TestServer;
  let u: University;
  let staff: string;
  let teacher: string;
  let s: string[];
  let examId: string;
  let secrets: string[]; // everything that would name a student

  /** the strings of `value` that would name a student (signed links carry random text: they are left out) */
  const leaks = (value: unknown): string[] => {
    const text = JSON.stringify(value).replace(/access=[^"&]*/g, '');
    return secrets.filter((secret) => text.toLowerCase().includes(secret.toLowerCase()));
  };

  /** the journal rows of the blind exam, as `token` reads them */
  const journalOf = async (token: string, exam = examId): Promise<JournalSeen[]> =>
    (await server.ok(token, JOURNAL, { d: u.disciplineId, p: u.periodId })).journal.filter(
      (r: JournalSeen) => r.exam.id === exam,
    );

  /** the input of updateExam as the harness builds it, for a call whose refusal the spec reads */
  const examInput = (input: Record<string, unknown>) => ({
    periodId: u.periodId,
    disciplineId: u.disciplineId,
    teacherId: u.teacher.id,
    startsAt: minutes(-1),
    endsAt: minutes(60),
    format: 'TICKETS',
    ticketAssignment: 'STUDENT_CHOICE',
    studentIds: u.students.map((st) => st.id),
    ...input,
  });

  const download = async (url: string, token?: string) => {
    const res = await fetch(`${server.url}${url}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    await res.arrayBuffer();
    return res;
  };

  beforeAll(async () => {
    server = await startTestServer({ sendGraceMs: 0 }); // publication waits for the grace after the end
    u = await seedUniversity(server, PEOPLE.length);
    const em = server.app.orm.em.fork();
    for (const [i, person] of PEOPLE.entries())
      await em.nativeUpdate(User, { id: u.students[i].id }, { login: person.login, fullName: person.fullName });
    secrets = [
      ...u.students.map((st) => st.id),
      ...PEOPLE.flatMap((p) => [p.login, p.fullName, p.fullName.split(' ')[1], p.file.replace(/\.[a-z]+$/i, '')]),
    ];
    [staff, teacher] = await Promise.all([server.login('staff'), server.login('teacher')]);
    s = await Promise.all(PEOPLE.map((p) => server.login(p.login)));
    examId = await createExam(server, staff, u, { blindMarking: true });
    const tickets = await addTickets(server, staff, examId, PEOPLE.length);
    for (const [i, token] of s.entries()) await server.ok(token, CHOOSE, { e: examId, t: tickets[i] });
    await server.ok(staff, 'mutation($e:ID!){ releaseQuestions(examId:$e){ id } }', { e: examId });
    for (const token of s) await server.ok(token, SHOW, { e: examId });
    // three send answers with files named after themselves; the fourth keeps a draft
    for (const [i, token] of s.slice(0, 3).entries()) {
      const up = await uploadFiles(server, token, `/files/answers/${examId}`, [
        { name: PEOPLE[i].file, content: `work of ${i}`, contentType: 'application/pdf' },
        { name: `${PEOPLE[i].fullName}.png`, content: `photo of ${i}`, contentType: 'image/png' },
      ]);
      expect(up.status).toBe(201);
      await server.ok(token, SUBMIT, { e: examId, t: `Answer number ${i} with enough text` });
    }
    await uploadFiles(server, s[3], `/files/answers/${examId}`, [{ name: PEOPLE[3].file, content: 'draft file' }]);
  });
  afterAll(() => server.stop());

  it('shows the teacher every sitting under a unique code, in code order, and nothing that names the student', async () => {
    const first = await server.ok(teacher, EXAM, { e: examId });
    expect(first.exam.blindMarking).toBeTrue();
    const sittings: SeenSitting[] = first.exam.sittings;
    expect(sittings.length).toBe(PEOPLE.length);
    expect(leaks(first)).toEqual([]);
    const codes = sittings.map((x) => x.blindCode!);
    for (const x of sittings) {
      expect(x.blind).toBeTrue();
      expect(x.blindCode).toMatch(CODE);
      expect(x.student).toEqual(jasmine.objectContaining({ login: x.blindCode!, fullName: x.blindCode! }));
      expect(x.student.id).toBe(`blind:${x.blindCode}`);
      // the trail is there, under the stand-in: the student's own entries name the code
      expect(x.events.some((e) => e.kind === 'ENTERED' || e.kind === 'TICKET_CHOSEN')).toBeTrue();
      for (const e of x.events.filter((e) => e.kind === 'TICKET_CHOSEN')) expect(e.actor!.fullName).toBe(x.blindCode!);
    }
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toEqual([...codes].sort());
    // the ticket board's holders are the stand-ins too
    const holders = first.exam.tickets.map((t: { takenBy: { fullName: string } | null }) => t.takenBy?.fullName);
    expect([...holders].sort()).toEqual([...codes].sort());

    const again = await server.ok(teacher, EXAM, { e: examId });
    expect(again.exam.sittings.map((x: SeenSitting) => [x.id, x.blindCode])).toEqual(
      sittings.map((x) => [x.id, x.blindCode]),
    );
  });

  it("names the teacher's copies of the files by code, in the API, the trail and the download", async () => {
    const { exam } = await server.ok(teacher, EXAM, { e: examId });
    const sent = (exam.sittings as SeenSitting[]).filter((x) => x.answer);
    expect(sent.length).toBe(3);
    for (const x of sent) {
      const names = x.answer!.files.map((f) => f.name);
      expect(names[0]).toMatch(new RegExp(`^${x.blindCode}-1(\\.pdf)?$`)); // «.PDF» as «.pdf»; no extension, none
      expect(names[1]).toBe(`${x.blindCode}-2.png`);
      const uploads = x.events.filter((e) => e.kind === 'FILE_UPLOADED').map((e) => e.detail);
      expect(uploads.sort()).toEqual([...names].sort());
      for (const [i, file] of x.answer!.files.entries()) {
        for (const res of [await download(file.url), await download(`/files/${file.id}`, teacher)]) {
          expect(res.status).toBe(200);
          const disposition = res.headers.get('content-disposition')!;
          expect(disposition).toContain(`filename="${file.name}"`);
          expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent(`${x.blindCode}-${i + 1}`)}`);
          expect(leaks(disposition)).toEqual([]);
        }
      }
    }
    // «zhumabek» has no extension: its copy has none either
    expect(sent.filter((x) => x.answer!.files[0].name === x.blindCode + '-1').length).toBe(1);
  });

  it('shows staff who is who, beside the same codes, and the original file names', async () => {
    const [asTeacher, asStaff] = await Promise.all([
      server.ok(teacher, EXAM, { e: examId }),
      server.ok(staff, EXAM, { e: examId }),
    ]);
    const codeOf = new Map(asTeacher.exam.sittings.map((x: SeenSitting) => [x.id, x.blindCode]));
    for (const x of asStaff.exam.sittings as SeenSitting[]) {
      expect(x.blind).toBeFalse();
      expect(x.blindCode).toBe(codeOf.get(x.id) as string);
      const i = u.students.findIndex((st) => st.id === x.student.id);
      expect(i).toBeGreaterThanOrEqual(0);
      expect(x.student.fullName).toBe(PEOPLE[i].fullName);
      if (x.answer) {
        expect(x.answer.files[0].name).toBe(PEOPLE[i].file);
        const res = await download(x.answer.files[0].url);
        expect(res.headers.get('content-disposition')).toContain(encodeURIComponent(PEOPLE[i].file));
      }
    }
    expect(
      asStaff.exam.tickets.every((t: { takenBy: { id: string } }) => u.students.some((st) => st.id === t.takenBy.id)),
    ).toBeTrue();
  });

  it('shows the student their own sitting as it is, with no code', async () => {
    const own = await server.ok(
      s[0],
      'query($e:ID!){ exam(id:$e){ mySitting { blind blindCode student { id fullName } answer { files { name } } } } }',
      {
        e: examId,
      },
    );
    expect(own.exam.mySitting).toEqual({
      blind: false,
      blindCode: null,
      student: { id: u.students[0].id, fullName: PEOPLE[0].fullName },
      answer: { files: [{ name: PEOPLE[0].file }, { name: `${PEOPLE[0].fullName}.png` }] },
    });
  });

  it("masks the teacher's pushes and grading answers, and keeps the grades out of the teacher's journal", async () => {
    const ws: WsClient = server.ws(teacher);
    const staffWs: WsClient = server.ws(staff);
    try {
      const teacherPush = nextPushes(ws, SITTING_CHANGED, { e: examId });
      const staffPush = nextPushes(staffWs, SITTING_CHANGED, { e: examId });
      await Promise.all([teacherPush.started, staffPush.started]);
      const { exam } = await server.ok(teacher, EXAM, { e: examId });
      const target: SeenSitting = exam.sittings.find((x: SeenSitting) => x.answer);
      const graded = await server.ok(teacher, GRADE, { s: target.id, score: 88 });
      expect(leaks(graded)).toEqual([]);
      expect(graded.gradeSitting.student.fullName).toBe(target.blindCode!);

      const [pushed] = await teacherPush.done;
      expect(pushed.sittingChanged.id).toBe(target.id);
      expect(pushed.sittingChanged.blind).toBeTrue();
      expect(pushed.sittingChanged.student.fullName).toBe(target.blindCode!);
      expect(leaks(pushed)).toEqual([]);
      const [toStaff] = await staffPush.done;
      expect(u.students.map((st) => st.id)).toContain(toStaff.sittingChanged.student.id);

      // the teacher's journal leaves the exam out (a name beside a sittingId or a draft mark would match a code);
      // staff's shows every row, the graded one as a draft (not published)
      const teacherRows = await journalOf(teacher);
      expect(teacherRows).toEqual([]);
      expect(leaks(teacherRows)).toEqual([]);
      const staffRows = await journalOf(staff);
      expect(staffRows.length).toBe(PEOPLE.length);
      expect(staffRows.filter((r: JournalSeen) => r.gradeDraft).map((r: JournalSeen) => r.sittingId)).toEqual([
        target.id,
      ]);
      expect(staffRows.every((r: JournalSeen) => r.grade === null)).toBeTrue();
    } finally {
      await Promise.all([ws.dispose(), staffWs.dispose()]);
    }
  });

  it("keeps names out of a refusal's message", async () => {
    const { exam } = await server.ok(teacher, EXAM, { e: examId });
    const draft: SeenSitting = exam.sittings.find((x: SeenSitting) => !x.answer);
    const refused = await server.gql(teacher, GRADE, { s: draft.id, score: 50 });
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(leaks(refused)).toEqual([]);
  });

  it('gives the names back to the teacher when staff turn blind marking off, and hides nothing at an exam that is not blind', async () => {
    const open = await createExam(server, staff, u);
    const plain = await server.ok(teacher, EXAM, { e: open });
    expect(plain.exam.blindMarking).toBeFalse();
    for (const x of plain.exam.sittings as SeenSitting[]) {
      expect(x.blind).toBeFalse();
      expect(x.blindCode).toBeNull();
      expect(u.students.map((st) => st.id)).toContain(x.student.id);
    }

    await updateExam(server, staff, u, examId, { blindMarking: false });
    const named = await server.ok(teacher, EXAM, { e: examId });
    expect(named.exam.blindMarking).toBeFalse();
    expect((named.exam.sittings as SeenSitting[]).every((x) => !x.blind && x.blindCode === null)).toBeTrue();
    expect((named.exam.sittings as SeenSitting[]).map((x) => x.student.fullName).sort()).toEqual(
      PEOPLE.map((p) => p.fullName).sort(),
    );
    await updateExam(server, staff, u, examId, { blindMarking: true }); // on again (before publication: allowed)
    expect((await server.ok(teacher, EXAM, { e: examId })).exam.sittings.every((x: SeenSitting) => x.blind)).toBeTrue();
  });

  it('refuses blind marking with results released AT_ONCE, on create and on an update that turns on either', async () => {
    const blindAtOnce = await server.gql(staff, CREATE_EXAM, {
      input: examInput({ blindMarking: true, resultsRelease: 'AT_ONCE' }),
    });
    expect(blindAtOnce.errors?.[0]?.extensions?.code).toBe('BLIND_NEEDS_PUBLICATION');
    expect(blindAtOnce.errors?.[0]?.message).toContain('ON_PUBLICATION');
    expect(blindAtOnce.data?.createExam ?? null).toBeNull();

    const EXAM_SETTINGS = 'query($e:ID!){ exam(id:$e){ blindMarking resultsRelease } }';
    // an AT_ONCE exam: blind marking turned on alone is refused, and the exam stays as it was
    const atOnce = await createExam(server, staff, u, { resultsRelease: 'AT_ONCE' });
    const turnOn = await server.gql(staff, UPDATE, { id: atOnce, input: examInput({ blindMarking: true }) });
    expect(turnOn.errors?.[0]?.extensions?.code).toBe('BLIND_NEEDS_PUBLICATION');
    expect((await server.ok(staff, EXAM_SETTINGS, { e: atOnce })).exam).toEqual({
      blindMarking: false,
      resultsRelease: 'AT_ONCE',
    });
    // a blind exam: AT_ONCE alone is refused
    const blind = await createExam(server, staff, u, { blindMarking: true });
    const toAtOnce = await server.gql(staff, UPDATE, { id: blind, input: examInput({ resultsRelease: 'AT_ONCE' }) });
    expect(toAtOnce.errors?.[0]?.extensions?.code).toBe('BLIND_NEEDS_PUBLICATION');
    expect((await server.ok(staff, EXAM_SETTINGS, { e: blind })).exam).toEqual({
      blindMarking: true,
      resultsRelease: 'ON_PUBLICATION',
    });
    // both changed together, consistently: allowed either way
    await updateExam(server, staff, u, blind, { blindMarking: false, resultsRelease: 'AT_ONCE' });
    expect((await server.ok(staff, EXAM_SETTINGS, { e: blind })).exam).toEqual({
      blindMarking: false,
      resultsRelease: 'AT_ONCE',
    });
    await updateExam(server, staff, u, atOnce, { blindMarking: true, resultsRelease: 'ON_PUBLICATION' });
    expect((await server.ok(staff, EXAM_SETTINGS, { e: atOnce })).exam).toEqual({
      blindMarking: true,
      resultsRelease: 'ON_PUBLICATION',
    });
  });

  it('gives the teacher the names once the teacher publishes the results: queries, pushes, files and journal', async () => {
    // the exam ends; every sent answer is graded under its code
    await updateExam(server, staff, u, examId, { startsAt: minutes(-60), endsAt: minutes(-1) });
    const before = await server.ok(teacher, EXAM, { e: examId });
    const sent = (before.exam.sittings as (SeenSitting & { answerStatus: string })[]).filter(
      (x) => x.answerStatus === 'SUBMITTED',
    );
    expect(sent.length).toBeGreaterThanOrEqual(3);
    for (const [i, x] of sent.entries()) await server.ok(teacher, GRADE, { s: x.id, score: 60 + i });
    expect(leaks(await server.ok(teacher, EXAM, { e: examId }))).toEqual([]);
    expect(await journalOf(teacher)).toEqual([]);

    const ws: WsClient = server.ws(teacher);
    try {
      const push = nextPushes(ws, SITTING_CHANGED, { e: examId });
      await push.started;
      const published = await server.ok(teacher, PUBLISH, { e: examId });
      expect(published.publishResults.resultsPublishedAt).not.toBeNull();
      const [pushed] = await push.done;
      expect(pushed.sittingChanged.blind).toBeFalse();
      expect(u.students.map((st) => st.id)).toContain(pushed.sittingChanged.student.id);
    } finally {
      await ws.dispose();
    }

    const after = await server.ok(teacher, EXAM, { e: examId });
    const codeOf = new Map((before.exam.sittings as SeenSitting[]).map((x) => [x.id, x.blindCode]));
    for (const x of after.exam.sittings as SeenSitting[]) {
      expect(x.blind).toBeFalse();
      expect(x.blindCode).toBe(codeOf.get(x.id)!); // the code stays beside the name, to match the grading notes
      const i = u.students.findIndex((st) => st.id === x.student.id);
      expect(i).toBeGreaterThanOrEqual(0);
      expect(x.student.fullName).toBe(PEOPLE[i].fullName);
      if (x.answer) expect(x.answer.files[0].name).toBe(PEOPLE[i].file);
    }
    const rows = await journalOf(teacher);
    expect(rows.length).toBe(PEOPLE.length);
    expect(
      rows
        .filter((r) => r.grade)
        .map((r) => r.grade!.score)
        .sort(),
    ).toEqual(sent.map((_, i) => 60 + i));
    expect(rows.map((r) => r.student.fullName).sort()).toEqual(PEOPLE.map((p) => p.fullName).sort());

    // after publication blind marking hides nothing: turning it off (or on) is refused
    const off = await server.gql(staff, UPDATE, {
      id: examId,
      input: examInput({ startsAt: minutes(-60), endsAt: minutes(-1), blindMarking: false }),
    });
    expect(off.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('blind codes', () => {
  const ids = Array.from({ length: 2000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
  const at = (i: number) => new Date(Date.UTC(2026, 11, 1) + i * 1000);

  it('are the same for the same secret (every instance, every restart) and differ for another', () => {
    const a = new BlindCodes(Buffer.from('one secret of sixteen+'));
    const b = new BlindCodes(Buffer.from('one secret of sixteen+'));
    const other = new BlindCodes(Buffer.from('another secret, sixteen+'));
    expect(ids.slice(0, 50).map((id) => a.draw(id))).toEqual(ids.slice(0, 50).map((id) => b.draw(id)));
    expect(ids.slice(0, 50).filter((id) => a.draw(id) === other.draw(id)).length).toBeLessThan(2);
    for (const id of ids.slice(0, 50)) expect(a.draw(id)).toMatch(CODE);
  });

  it('are unique within an exam, and a sitting added later never changes an earlier one', () => {
    // a code space of four: clashes on every few sittings, resolved by drawing again
    class Tiny extends BlindCodes {
      override draw(sittingId: string, round = 0): string {
        return `AAA-${super.draw(sittingId, round).slice(-1)}`;
      }
    }
    const tiny = new Tiny(Buffer.from('a secret of sixteen chars'));
    const some = ids.slice(0, 12).map((id, i) => ({ id, createdAt: at(i) }));
    const codes = tiny.codesOfExam(some);
    expect(new Set(codes.values()).size).toBe(12);
    const more = tiny.codesOfExam([...some, { id: ids[12], createdAt: at(12) }].reverse());
    for (const [id, code] of codes) expect(more.get(id)).toBe(code);

    const real = new BlindCodes(Buffer.from('a secret of sixteen chars'));
    const big = real.codesOfExam(ids.map((id, i) => ({ id, createdAt: at(i) })));
    expect(new Set(big.values()).size).toBe(ids.length);
  });
});
