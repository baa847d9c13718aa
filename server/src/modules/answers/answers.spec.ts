import {
  addTickets,
  createExam,
  minutes,
  seedUniversity,
  sleep,
  startTestServer,
  updateExam,
  uploadFiles,
  type TestServer,
  type University,
} from '../../testing/harness';

const ANSWER_FIELDS = 'text status savedAt submittedAt files { id name }';
const SAVE = `mutation($e:ID!,$t:String!){ saveAnswer(examId:$e, text:$t){ ${ANSWER_FIELDS} } }`;
const SUBMIT = `mutation($e:ID!,$t:String!){ submitAnswer(examId:$e, text:$t){ ${ANSWER_FIELDS} } }`;
const DELETE_FILE = 'mutation($e:ID!,$f:ID!){ deleteAnswerFile(examId:$e, fileId:$f){ status files { id } } }';
const MY_SITTING = `query($e:ID!){ exam(id:$e){ endsAt mySitting { endsAt answerStatus answer { ${ANSWER_FIELDS} } } } }`;

/** R7.1–R7.6 through GraphQL and the answer upload endpoint, against the server's clock. */
describe('answers', () => {
  let server: TestServer;
  let u: University;
  let staff: string;
  let teacher: string;
  let s: string[]; // tokens of s01 … s06

  beforeAll(async () => {
    // no grace: a Send after the end is refused here; the grace for a late Send is tried in auto-send.spec.ts
    server = await startTestServer({ sendGraceMs: 0 });
    u = await seedUniversity(server, 6);
    [staff, teacher] = await Promise.all([server.login('staff'), server.login('teacher')]);
    s = await Promise.all(u.students.map((st) => server.login(st.login)));
  });
  afterAll(() => server.stop());

  /** a task exam (no tickets to pass through), open from a minute ago for an hour unless told otherwise */
  const taskExam = (input: Record<string, unknown> = {}) =>
    createExam(server, staff, u, {
      format: 'TASK',
      ticketAssignment: null,
      taskText: 'Describe the normal forms.',
      ...input,
    });
  const upload = (token: string, examId: string, parts = [{ name: 'answer.txt', content: 'my answer in a file' }]) =>
    uploadFiles(server, token, `/files/answers/${examId}`, parts);

  describe('R7.4, R7.5: at least 10 characters or a file', () => {
    let examId: string;
    beforeAll(async () => {
      examId = await taskExam();
    });

    it('refuses fewer than 10 characters on save and on send', async () => {
      expect(await server.code(s[0], SAVE, { e: examId, t: '123456789' })).toBe('ANSWER_TOO_SHORT');
      expect(await server.code(s[0], SUBMIT, { e: examId, t: '123456789' })).toBe('ANSWER_TOO_SHORT');
      expect(await server.code(s[0], SAVE, { e: examId, t: '' })).toBe('ANSWER_TOO_SHORT');
      const result = await server.gql(s[0], SAVE, { e: examId, t: 'short' });
      expect(result.errors?.[0].message).toMatch(/10 characters/);
    });

    it('does not count surrounding whitespace', async () => {
      expect(await server.code(s[0], SAVE, { e: examId, t: '    short     ' })).toBe('ANSWER_TOO_SHORT');
      expect(await server.code(s[0], SAVE, { e: examId, t: '\n\n\t123456789\n\n' })).toBe('ANSWER_TOO_SHORT');
      expect(await server.code(s[0], SUBMIT, { e: examId, t: '          ' })).toBe('ANSWER_TOO_SHORT');
    });

    it('counts characters, not UTF-16 units (9 emoji are 9 characters)', async () => {
      expect(await server.code(s[0], SAVE, { e: examId, t: '😀'.repeat(9) })).toBe('ANSWER_TOO_SHORT');
      const ok = await server.ok(s[0], SAVE, { e: examId, t: 'жауап'.repeat(2) });
      expect(ok.saveAnswer.text).toBe('жауапжауап');
    });

    it('keeps nothing from a refused save', async () => {
      const examId2 = await taskExam();
      expect(await server.code(s[1], SAVE, { e: examId2, t: 'too short' })).toBe('ANSWER_TOO_SHORT');
      const page = await server.ok(s[1], MY_SITTING, { e: examId2 });
      expect(page.exam.mySitting.answer?.text ?? '').toBe('');
      expect(page.exam.mySitting.answer?.savedAt ?? null).toBeNull();
    });

    it('accepts exactly 10 characters, as a draft visible to the student alone', async () => {
      const saved = await server.ok(s[2], SAVE, { e: examId, t: '0123456789' });
      expect(saved.saveAnswer.status).toBe('DRAFT');
      expect(saved.saveAnswer.text).toBe('0123456789');
      expect(saved.saveAnswer.savedAt).toBeTruthy();
      expect(saved.saveAnswer.submittedAt).toBeNull();

      const mine = await server.ok(s[2], MY_SITTING, { e: examId });
      expect(mine.exam.mySitting.answer.text).toBe('0123456789');

      const room = await server.ok(
        teacher,
        'query($e:ID!){ exam(id:$e){ sittings { student { login } answerStatus answer { text } } } }',
        { e: examId },
      );
      const row = room.exam.sittings.find((x: { student: { login: string } }) => x.student.login === 's03');
      expect(row.answerStatus).toBe('DRAFT');
      expect(row.answer).toBeNull(); // R7.4: a draft is the student's alone
    });

    it('accepts exactly 10 characters on send', async () => {
      const sent = await server.ok(s[3], SUBMIT, { e: examId, t: 'abcdefghij' });
      expect(sent.submitAnswer.status).toBe('SUBMITTED');
      expect(sent.submitAnswer.text).toBe('abcdefghij');
      expect(sent.submitAnswer.submittedAt).toBeTruthy();
    });

    it('makes save and send valid with a file alone and no text (R7.4, R7.5)', async () => {
      const exam = await taskExam();
      expect(await server.code(s[0], SAVE, { e: exam, t: '' })).toBe('ANSWER_TOO_SHORT');
      const up = await upload(s[0], exam);
      expect(up.status).toBe(201);
      const saved = await server.ok(s[0], SAVE, { e: exam, t: '' });
      expect(saved.saveAnswer.status).toBe('DRAFT');
      expect(saved.saveAnswer.files.map((f: { name: string }) => f.name)).toEqual(['answer.txt']);
      const sent = await server.ok(s[0], SUBMIT, { e: exam, t: '' });
      expect(sent.submitAnswer.status).toBe('SUBMITTED');
      expect(sent.submitAnswer.text).toBe('');
      expect(sent.submitAnswer.files.length).toBe(1);
    });

    it('is short again once the only file is deleted', async () => {
      const exam = await taskExam();
      const up = await upload(s[1], exam);
      await server.ok(s[1], SAVE, { e: exam, t: '' });
      const after = await server.ok(s[1], DELETE_FILE, { e: exam, f: up.body.files[0].id });
      expect(after.deleteAnswerFile.files).toEqual([]);
      expect(await server.code(s[1], SUBMIT, { e: exam, t: 'tiny' })).toBe('ANSWER_TOO_SHORT');
    });

    it('refuses a text longer than the limit with BAD_USER_INPUT and accepts one at the limit', async () => {
      const exam = await taskExam();
      const limit = server.app.services.config.maxAnswerChars;
      expect(await server.code(s[4], SAVE, { e: exam, t: 'x'.repeat(limit + 1) })).toBe('BAD_USER_INPUT');
      expect(await server.code(s[4], SUBMIT, { e: exam, t: 'x'.repeat(limit + 1) })).toBe('BAD_USER_INPUT');
      const saved = await server.ok(s[4], SAVE, { e: exam, t: 'y'.repeat(limit) });
      expect(saved.saveAnswer.text.length).toBe(limit);
    });
  });

  describe('R7.5: the server clock decides', () => {
    it('refuses save, send and upload before the start with EXAM_NOT_STARTED', async () => {
      const exam = await taskExam({ startsAt: minutes(30), endsAt: minutes(90) });
      expect(await server.code(s[0], SAVE, { e: exam, t: 'an early answer text' })).toBe('EXAM_NOT_STARTED');
      expect(await server.code(s[0], SUBMIT, { e: exam, t: 'an early answer text' })).toBe('EXAM_NOT_STARTED');
      const up = await upload(s[0], exam);
      expect(up.status).toBe(409);
      expect(up.body.error.code).toBe('EXAM_NOT_STARTED');
      const page = await server.ok(s[0], MY_SITTING, { e: exam });
      expect(page.exam.mySitting.answer).toBeNull();
    });

    it('refuses to send after the end with EXAM_ENDED (the exam runs out while the student writes)', async () => {
      const exam = await taskExam({ startsAt: minutes(-1), endsAt: new Date(Date.now() + 1500).toISOString() });
      const saved = await server.ok(s[0], SAVE, { e: exam, t: 'written in time' });
      expect(saved.saveAnswer.status).toBe('DRAFT');
      await sleep(1700);
      expect(await server.code(s[0], SUBMIT, { e: exam, t: 'written in time' })).toBe('EXAM_ENDED');
      expect(await server.code(s[0], SAVE, { e: exam, t: 'written too late' })).toBe('EXAM_ENDED');
      const page = await server.ok(s[0], MY_SITTING, { e: exam });
      expect(page.exam.mySitting.answer.status).toBe('DRAFT');
      expect(page.exam.mySitting.answer.text).toBe('written in time');
    });

    it('refuses send, save, upload and delete once staff move the end into the past', async () => {
      const exam = await taskExam();
      const up = await upload(s[1], exam);
      expect(up.status).toBe(201);
      await updateExam(server, staff, u, exam, {
        format: 'TASK',
        ticketAssignment: null,
        startsAt: minutes(-60),
        endsAt: new Date(Date.now() - 1000).toISOString(),
      });
      expect(await server.code(s[1], SUBMIT, { e: exam, t: 'sent after the end' })).toBe('EXAM_ENDED');
      expect(await server.code(s[1], SAVE, { e: exam, t: 'saved after the end' })).toBe('EXAM_ENDED');
      expect(await server.code(s[1], DELETE_FILE, { e: exam, f: up.body.files[0].id })).toBe('EXAM_ENDED');
      const late = await upload(s[1], exam);
      expect(late.status).toBe(409);
      expect(late.body.error.code).toBe('EXAM_ENDED');
    });
  });

  describe('R7.6: a sent answer is locked', () => {
    it('refuses save, send, file delete and upload with ANSWER_SUBMITTED', async () => {
      const exam = await taskExam();
      const up = await upload(s[2], exam);
      const sent = await server.ok(s[2], SUBMIT, { e: exam, t: 'the final answer text' });
      expect(sent.submitAnswer.status).toBe('SUBMITTED');

      expect(await server.code(s[2], SAVE, { e: exam, t: 'a change after sending' })).toBe('ANSWER_SUBMITTED');
      expect(await server.code(s[2], SUBMIT, { e: exam, t: 'a second sending' })).toBe('ANSWER_SUBMITTED');
      expect(await server.code(s[2], DELETE_FILE, { e: exam, f: up.body.files[0].id })).toBe('ANSWER_SUBMITTED');
      const late = await upload(s[2], exam, [{ name: 'late.txt', content: 'added after sending' }]);
      expect(late.status).toBe(409);
      expect(late.body.error.code).toBe('ANSWER_SUBMITTED');
      expect(late.body.error.message).toEqual(jasmine.any(String));

      const page = await server.ok(s[2], MY_SITTING, { e: exam });
      expect(page.exam.mySitting.answer.text).toBe('the final answer text');
      expect(page.exam.mySitting.answer.submittedAt).toBe(sent.submitAnswer.submittedAt);
      expect(page.exam.mySitting.answer.files.map((f: { name: string }) => f.name)).toEqual(['answer.txt']);
    });

    it('lets exactly one of several concurrent sends win; the others get ANSWER_SUBMITTED', async () => {
      const exam = await taskExam();
      const racers = [3, 4, 5]; // s04, s05, s06, each sending six times at once
      await server.ok(s[3], SAVE, { e: exam, t: 'a draft to start from' }); // one with a draft row already, two without
      const texts = [1, 2, 3, 4, 5, 6].map((n) => `concurrent send number ${n}`);
      const rounds = await Promise.all(
        racers.map((i) => Promise.all(texts.map((t) => server.gql(s[i], SUBMIT, { e: exam, t })))),
      );
      const room = await server.ok(
        staff,
        'query($e:ID!){ exam(id:$e){ sittings { student { login } answer { text submittedAt } events { kind } } } }',
        { e: exam },
      );
      for (const [k, results] of rounds.entries()) {
        const login = u.students[racers[k]].login;
        const won = results.filter((r) => !r.errors && r.data?.submitAnswer);
        const lost = results.filter((r) => r.errors);
        expect(won.length).withContext(login).toBe(1);
        expect(lost.map((r) => r.errors![0].extensions?.code))
          .withContext(login)
          .toEqual(texts.slice(1).map(() => 'ANSWER_SUBMITTED'));
        const winner = won[0]?.data!.submitAnswer;
        expect(winner?.status).withContext(login).toBe('SUBMITTED');
        const row = room.exam.sittings.find((x: { student: { login: string } }) => x.student.login === login);
        expect(row.answer).withContext(login).toEqual({ text: winner?.text, submittedAt: winner?.submittedAt });
        expect(row.events.filter((ev: { kind: string }) => ev.kind === 'ANSWER_SUBMITTED').length)
          .withContext(login)
          .toBe(1);
      }
    });

    it('lets concurrent first saves share one answer', async () => {
      const exam = await taskExam();
      const results = await Promise.all(
        [1, 2, 3].map((n) => server.gql(s[4], SAVE, { e: exam, t: `parallel first save ${n}` })),
      );
      expect(results.map((r) => r.errors?.[0]?.extensions?.code)).toEqual([undefined, undefined, undefined]);
      const sent = await server.ok(s[4], SUBMIT, { e: exam, t: 'the one answer after parallel saves' });
      expect(sent.submitAnswer.status).toBe('SUBMITTED');
      expect(await server.code(s[4], SAVE, { e: exam, t: 'one more save afterwards' })).toBe('ANSWER_SUBMITTED');
    });
  });

  describe('extra time for one student', () => {
    it("lets that student save, upload and send after the exam's end while another gets EXAM_ENDED", async () => {
      const examEnd = new Date(Date.now() - 60_000).toISOString();
      const exam = await taskExam({ startsAt: minutes(-90), endsAt: examEnd });
      const extra = minutes(20);
      const given = await server.ok(
        staff,
        'mutation($e:ID!,$s:ID!,$t:DateTime){ setExtraTime(examId:$e, studentId:$s, endsAt:$t){ endsAt student { login } } }',
        { e: exam, s: u.students[0].id, t: extra },
      );
      expect(given.setExtraTime.endsAt).toBe(extra);
      expect(given.setExtraTime.student.login).toBe('s01');

      const mine = await server.ok(s[0], MY_SITTING, { e: exam });
      expect(mine.exam.endsAt).toBe(examEnd);
      expect(mine.exam.mySitting.endsAt).toBe(extra);
      const theirs = await server.ok(s[1], MY_SITTING, { e: exam });
      expect(theirs.exam.mySitting.endsAt).toBe(examEnd);

      expect((await server.ok(s[0], SAVE, { e: exam, t: 'saved during extra time' })).saveAnswer.status).toBe('DRAFT');
      expect((await upload(s[0], exam)).status).toBe(201);
      expect((await server.ok(s[0], SUBMIT, { e: exam, t: 'sent during extra time' })).submitAnswer.status).toBe(
        'SUBMITTED',
      );

      expect(await server.code(s[1], SAVE, { e: exam, t: 'saved after the end' })).toBe('EXAM_ENDED');
      expect(await server.code(s[1], SUBMIT, { e: exam, t: 'sent after the end' })).toBe('EXAM_ENDED');
      expect((await upload(s[1], exam)).body.error.code).toBe('EXAM_ENDED');
    });

    it("is taken back with null, refused when not later than the exam's end, and is staff-only", async () => {
      const examEnd = new Date(Date.now() - 60_000).toISOString();
      const exam = await taskExam({ startsAt: minutes(-90), endsAt: examEnd });
      const SET = 'mutation($e:ID!,$s:ID!,$t:DateTime){ setExtraTime(examId:$e, studentId:$s, endsAt:$t){ endsAt } }';
      await server.ok(staff, SET, { e: exam, s: u.students[2].id, t: minutes(20) });
      expect((await server.ok(s[2], SAVE, { e: exam, t: 'a draft in extra time' })).saveAnswer.status).toBe('DRAFT');

      const back = await server.ok(staff, SET, { e: exam, s: u.students[2].id, t: null });
      expect(back.setExtraTime.endsAt).toBe(examEnd);
      expect(await server.code(s[2], SAVE, { e: exam, t: 'no more extra time' })).toBe('EXAM_ENDED');

      expect(
        await server.code(staff, SET, {
          e: exam,
          s: u.students[2].id,
          t: new Date(Date.now() - 120_000).toISOString(),
        }),
      ).toBe('BAD_USER_INPUT');
      expect(await server.code(s[2], SET, { e: exam, s: u.students[2].id, t: minutes(20) })).toBe('FORBIDDEN');
      expect(await server.code(teacher, SET, { e: exam, s: u.students[2].id, t: minutes(20) })).toBe('FORBIDDEN');
      expect(await server.code(s[2], SAVE, { e: exam, t: 'still no extra time' })).toBe('EXAM_ENDED');
    });
  });

  describe('access', () => {
    it('refuses a student who is not enrolled with NOT_FOUND, and staff with FORBIDDEN', async () => {
      const exam = await taskExam({ studentIds: [u.students[0].id] });
      expect(await server.code(s[5], SAVE, { e: exam, t: 'not my exam at all' })).toBe('NOT_FOUND');
      expect(await server.code(staff, SAVE, { e: exam, t: 'staff cannot answer' })).toBe('FORBIDDEN');
      expect(await server.code(null, SAVE, { e: exam, t: 'nobody signed in' })).toBe('UNAUTHENTICATED');
      const up = await upload(s[5], exam);
      expect(up.status).toBe(404);
      expect(up.body.error.code).toBe('NOT_FOUND');
    });
  });

  describe('a ticket exam (R7.1)', () => {
    it("opens the answer only after the ticket's questions were seen, then applies the same rules", async () => {
      const exam = await createExam(server, staff, u, { studentIds: [u.students[0].id] });
      const [ticket] = await addTickets(server, staff, exam, 1);
      expect(await server.code(s[0], SAVE, { e: exam, t: 'before any ticket' })).toBe('FORBIDDEN');
      await server.ok(s[0], 'mutation($e:ID!,$t:ID!){ chooseTicket(examId:$e, ticketId:$t){ id } }', {
        e: exam,
        t: ticket,
      });
      const blocked = await upload(s[0], exam);
      expect(blocked.status).toBe(403);
      expect(blocked.body.error.code).toBe('FORBIDDEN');

      await server.ok(staff, 'mutation($e:ID!){ releaseQuestions(examId:$e){ id } }', { e: exam });
      expect(await server.code(s[0], SAVE, { e: exam, t: 'released, but not yet seen' })).toBe('FORBIDDEN');
      await server.ok(s[0], 'mutation($e:ID!){ showTicketQuestions(examId:$e){ __typename } }', { e: exam });

      expect(await server.code(s[0], SAVE, { e: exam, t: 'too short' })).toBe('ANSWER_TOO_SHORT');
      expect((await server.ok(s[0], SAVE, { e: exam, t: 'ten chars!' })).saveAnswer.status).toBe('DRAFT');
      expect((await server.ok(s[0], SUBMIT, { e: exam, t: 'the ticket answer' })).submitAnswer.status).toBe(
        'SUBMITTED',
      );
      expect(await server.code(s[0], SUBMIT, { e: exam, t: 'the ticket answer again' })).toBe('ANSWER_SUBMITTED');
    });
  });
});
