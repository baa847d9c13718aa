import type { Client as WsClient } from 'graphql-ws';
import {
  addTickets,
  createExam,
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
const JOURNAL = `query($d:ID!,$p:ID!){ journal(disciplineId:$d, periodId:$p){ student { login } exam { id } grade { score } sendMode } }`;
const CHOOSE = 'mutation($e:ID!,$t:ID!){ chooseTicket(examId:$e, ticketId:$t){ id } }';
const SHOW = 'mutation($e:ID!){ showTicketQuestions(examId:$e){ __typename } }';
const SUBMIT = 'mutation($e:ID!,$t:String!){ submitAnswer(examId:$e, text:$t){ status } }';
const CODE = /^[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{2}$/;

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

  const download = async (url: string, token?: string) => {
    const res = await fetch(`${server.url}${url}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    await res.arrayBuffer();
    return res;
  };

  beforeAll(async () => {
    server = await startTestServer();
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

      const journal = { d: u.disciplineId, p: u.periodId };
      const teacherRows = (await server.ok(teacher, JOURNAL, journal)).journal;
      expect(teacherRows.length).toBe(PEOPLE.length);
      expect(
        teacherRows.every((r: { grade: unknown; sendMode: unknown }) => r.grade === null && r.sendMode === null),
      ).toBeTrue();
      const staffRows = (await server.ok(staff, JOURNAL, journal)).journal;
      expect(staffRows.filter((r: { grade: { score: number } | null }) => r.grade?.score === 88).length).toBe(1);
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
