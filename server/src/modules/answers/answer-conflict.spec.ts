import {
  createExam,
  seedUniversity,
  sleep,
  startTestServer,
  uploadFiles,
  type TestServer,
  type University,
} from '../../testing/harness';

const FIELDS = 'text status version files { id }';
const SAVE = `mutation($e:ID!,$t:String!,$v:Int){ saveAnswer(examId:$e, text:$t, baseVersion:$v){ ${FIELDS} } }`;
const SUBMIT = `mutation($e:ID!,$t:String!,$v:Int){ submitAnswer(examId:$e, text:$t, baseVersion:$v){ ${FIELDS} } }`;
const DELETE_FILE = `mutation($e:ID!,$f:ID!){ deleteAnswerFile(examId:$e, fileId:$f){ ${FIELDS} } }`;
const MINE = `query($e:ID!){ exam(id:$e){ mySitting { answer { ${FIELDS} } } } }`;
const MY_SITTING_CHANGED = `subscription($e:ID!){ mySittingChanged(examId:$e){ student { login } answer { text version } } }`;

/** issue 11: one answer, one truth across devices: a save over a version the page did not see is refused. */
describe('answer versions (two devices or tabs of one student)', () => {
  let server: TestServer;
  let u: University;
  let staff: string;
  let s: string[];

  beforeAll(async () => {
    server = await startTestServer();
    u = await seedUniversity(server, 4);
    staff = await server.login('staff');
    s = await Promise.all(u.students.map((st) => server.login(st.login)));
  });
  afterAll(() => server.stop());

  const taskExam = () =>
    createExam(server, staff, u, { format: 'TASK', ticketAssignment: null, taskText: 'Describe the normal forms.' });
  const held = async (token: string, examId: string) =>
    (await server.ok(token, MINE, { e: examId })).exam.mySitting.answer;

  it('counts versions from 0 and refuses a save over a newer one with ANSWER_CONFLICT and the current version', async () => {
    const examId = await taskExam();
    const first = await server.ok(s[0], SAVE, { e: examId, t: 'typed on the laptop', v: 0 });
    expect(first.saveAnswer.version).toBe(1);
    const phone = await server.ok(s[0], SAVE, { e: examId, t: 'typed on the phone, later', v: 1 });
    expect(phone.saveAnswer.version).toBe(2);

    // the laptop still believes version 1
    const refused = await server.gql(s[0], SAVE, { e: examId, t: 'the laptop goes on typing', v: 1 });
    expect(refused.errors?.[0].extensions?.code).toBe('ANSWER_CONFLICT');
    expect((refused.errors?.[0].extensions as { currentVersion?: number }).currentVersion).toBe(2);
    expect(refused.errors?.[0].message).toMatch(/another device or tab/);
    expect(refused.errors?.[0].message).not.toContain('typed on the phone'); // the message never carries a text
    expect(await held(s[0], examId)).toEqual(
      jasmine.objectContaining({ text: 'typed on the phone, later', version: 2, status: 'DRAFT' }),
    );

    // the laptop chose its own text: saved over the version it has now seen
    const kept = await server.ok(s[0], SAVE, { e: examId, t: 'the laptop goes on typing', v: 2 });
    expect(kept.saveAnswer.version).toBe(3);
    expect((await held(s[0], examId)).text).toBe('the laptop goes on typing');
  });

  it('refuses a send over a newer version (the answer stays a draft) and sends over the current one', async () => {
    const examId = await taskExam();
    await server.ok(s[1], SAVE, { e: examId, t: 'first version of it', v: 0 });
    await server.ok(s[1], SAVE, { e: examId, t: 'second version of it', v: 1 });
    expect(await server.code(s[1], SUBMIT, { e: examId, t: 'sent from a stale tab', v: 1 })).toBe('ANSWER_CONFLICT');
    expect(await held(s[1], examId)).toEqual(
      jasmine.objectContaining({ text: 'second version of it', status: 'DRAFT', version: 2 }),
    );
    const sent = await server.ok(s[1], SUBMIT, { e: examId, t: 'second version of it', v: 2 });
    expect(sent.submitAnswer).toEqual(jasmine.objectContaining({ status: 'SUBMITTED', version: 3 }));
    // once sent, a stale save is refused as locked, not as a conflict: nothing can be chosen any more
    expect(await server.code(s[1], SAVE, { e: examId, t: 'too late for this one', v: 2 })).toBe('ANSWER_SUBMITTED');
  });

  it('keeps the last write winning for callers that send no baseVersion', async () => {
    const examId = await taskExam();
    await server.ok(s[2], SAVE, { e: examId, t: 'an old system writes', v: 0 });
    await server.ok(s[2], SAVE, { e: examId, t: 'newer text, with a version', v: 1 });
    const blind = await server.ok(s[2], SAVE, { e: examId, t: 'an old system overwrites' });
    expect(blind.saveAnswer.version).toBe(3);
    const sent = await server.ok(s[2], SUBMIT, { e: examId, t: 'an old system sends it' });
    expect(sent.submitAnswer).toEqual(
      jasmine.objectContaining({ text: 'an old system sends it', status: 'SUBMITTED', version: 4 }),
    );
  });

  it('lets exactly one of several concurrent saves over the same version win', async () => {
    const examId = await taskExam();
    await server.ok(s[3], SAVE, { e: examId, t: 'the common starting text', v: 0 });
    const texts = Array.from({ length: 6 }, (_, i) => `tab number ${i} wrote this`);
    const results = await Promise.all(texts.map((t) => server.gql(s[3], SAVE, { e: examId, t, v: 1 })));
    const won = results.filter((r) => !r.errors);
    const codes = results.filter((r) => r.errors).map((r) => r.errors![0].extensions?.code);
    expect(won.length).toBe(1);
    expect(codes).toEqual(Array(5).fill('ANSWER_CONFLICT'));
    expect(won[0].data.saveAnswer.version).toBe(2);
    expect(await held(s[3], examId)).toEqual(
      jasmine.objectContaining({ text: won[0].data.saveAnswer.text, version: 2 }),
    );
  });

  it('does not count files: an upload or a delete leaves the version, so the page never conflicts with itself', async () => {
    const examId = await taskExam();
    const saved = await server.ok(s[0], SAVE, { e: examId, t: 'text before the file', v: 0 });
    expect(saved.saveAnswer.version).toBe(1);
    const up = await uploadFiles(server, s[0], `/files/answers/${examId}`, [{ name: 'a.txt', content: 'a file' }]);
    expect(up.status).toBe(201);
    expect((await held(s[0], examId)).version).toBe(1);
    const after = await server.ok(s[0], DELETE_FILE, { e: examId, f: up.body.files[0].id });
    expect(after.deleteAnswerFile).toEqual(jasmine.objectContaining({ version: 1, files: [] }));
    expect((await server.ok(s[0], SAVE, { e: examId, t: 'text after the file', v: 1 })).saveAnswer.version).toBe(2);
  });

  it("pushes the new text and version to the student's other page, and to no other student", async () => {
    const examId = await taskExam();
    const otherTab = server.ws(s[0]);
    const classmate = server.ws(s[1]);
    const collect = (client: typeof otherTab) => {
      const pushes: any[] = [];
      client.subscribe(
        { query: MY_SITTING_CHANGED, variables: { e: examId } },
        { next: (value) => void pushes.push(value.data), error: () => undefined, complete: () => undefined },
      );
      return pushes;
    };
    try {
      const tab = collect(otherTab);
      const theirs = collect(classmate);
      await sleep(500); // both subscriptions established (joining may push the joiner's own presence)
      await server.ok(s[0], SAVE, { e: examId, t: 'written on the other device', v: 0 });
      const saved = (p: any) => p.mySittingChanged.answer?.version === 1;
      for (let waited = 0; waited < 5000 && !tab.some(saved); waited += 50) await sleep(50);
      expect(tab.find(saved)?.mySittingChanged).toEqual({
        student: { login: 's01' },
        answer: { text: 'written on the other device', version: 1 },
      });
      await sleep(300);
      expect(theirs.every((p) => p.mySittingChanged.student.login === 's02')).toBeTrue();
      expect(JSON.stringify(theirs)).not.toContain('written on the other device');
    } finally {
      await Promise.all([otherTab.dispose(), classmate.dispose()]);
    }
  });
});
