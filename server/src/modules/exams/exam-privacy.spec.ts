import {
  addTickets,
  CREATE_EXAM,
  minutes,
  nextPushes,
  seedUniversity,
  sleep,
  startTestServer,
  type GqlResult,
  type TestServer,
  type University,
} from '../../testing/harness';

/**
 * "Nothing the student is not yet allowed to see ever leaves the server early" (R7, last rule),
 * R2.3, R2.4, R4.2, R5.2, R7.4, R8.1, and who may see whose exam at all.
 */
describe('exam privacy', () => {
  let server: TestServer;
  let u: University;
  let staff: string;
  let teacher: string;
  let teacher2: string;
  let s1: string;
  let s2: string;
  let s3: string;

  type Input = Record<string, unknown>;
  const inputs = new Map<string, Input>();

  /** Creates an exam as staff and remembers its input, so it can be moved in time later. */
  async function exam(overrides: Input = {}): Promise<string> {
    const input: Input = {
      periodId: u.periodId,
      disciplineId: u.disciplineId,
      teacherId: u.teacher.id,
      startsAt: minutes(-1),
      endsAt: minutes(60),
      format: 'TICKETS',
      ticketAssignment: 'STAFF',
      studentIds: [u.students[0].id, u.students[1].id],
      ...overrides,
    };
    const data = await server.ok(staff, CREATE_EXAM, { input });
    inputs.set(data.createExam.id, input);
    return data.createExam.id;
  }

  /** Staff move the exam so that it has started a minute ago. */
  async function start(examId: string) {
    const input = { ...inputs.get(examId)!, startsAt: minutes(-1), endsAt: minutes(60) };
    await server.ok(
      staff,
      'mutation($id:ID!,$input:ExamInput!){ updateExam(id:$id, input:$input, confirmStarted:true){ id } }',
      { id: examId, input },
    );
    inputs.set(examId, input);
  }

  /** A started STAFF-assignment ticket exam where the given students hold tickets 1, 2, … and have seen their released questions. */
  async function answeringExam(
    students: { token: string; id: string }[],
    overrides: Input = {},
  ): Promise<{ examId: string; tickets: string[] }> {
    const examId = await exam({ studentIds: students.map((s) => s.id), ...overrides });
    const tickets = await addTickets(server, staff, examId, students.length);
    for (const [i, s] of students.entries()) {
      await server.ok(
        staff,
        'mutation($e:ID!,$s:ID!,$t:ID!){ assignTicket(examId:$e, studentId:$s, ticketId:$t){ id } }',
        { e: examId, s: s.id, t: tickets[i] },
      );
    }
    await server.ok(staff, 'mutation($e:ID!){ releaseQuestions(examId:$e){ id } }', { e: examId });
    for (const s of students) {
      await server.ok(s.token, 'mutation($e:ID!){ showTicketQuestions(examId:$e){ __typename } }', { e: examId });
    }
    return { examId, tickets };
  }

  function upload(token: string | null, path: string, name: string, content: string) {
    const form = new FormData();
    form.append('file', new Blob([content]), name);
    return fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: token ? { authorization: `Bearer ${token}` } : {},
      body: form,
    });
  }

  async function uploadOk(
    token: string,
    path: string,
    name: string,
    content: string,
  ): Promise<{ id: string; url: string }> {
    const res = await upload(token, path, name, content);
    expect(res.status).withContext(`upload to ${path}`).toBe(201);
    return ((await res.json()) as { files: { id: string; url: string }[] }).files[0];
  }

  function download(path: string, token: string | null = null) {
    return fetch(`${server.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  }

  function errorCode(result: GqlResult) {
    return result.errors?.[0]?.extensions?.code;
  }

  const me = (i: number, token: () => string) => ({
    get token() {
      return token();
    },
    get id() {
      return u.students[i].id;
    },
  });

  beforeAll(async () => {
    server = await startTestServer();
    u = await seedUniversity(server, 3);
    [staff, teacher, teacher2, s1, s2, s3] = await Promise.all(
      ['staff', 'teacher', 'teacher2', 's01', 's02', 's03'].map((l) => server.login(l)),
    );
  });
  afterAll(() => server.stop());

  // ---- R2.4, R6.1: the task ------------------------------------------------------------

  describe('the task text', () => {
    const TASK = 'Secret task: normalise this schema';
    const Q = 'query($e:ID!){ exam(id:$e){ task { text files { name } } } }';

    it('is null for the student before startsAt, on every path that reaches the exam', async () => {
      const examId = await exam({
        format: 'TASK',
        ticketAssignment: null,
        taskText: TASK,
        startsAt: minutes(60),
        endsAt: minutes(120),
      });
      const page = await server.gql(s1, Q, { e: examId });
      expect(page.errors).toBeUndefined();
      expect(page.data!.exam.task).toBeNull();

      const list = await server.ok(s1, 'query($y:ID!){ myExams(academicYearId:$y){ id task { text } } }', {
        y: u.yearId,
      });
      expect(list.myExams.find((e: { id: string }) => e.id === examId).task).toBeNull();
      const journal = await server.ok(
        s1,
        'query($y:ID!){ myJournal(academicYearId:$y){ exam { id task { text } } } }',
        { y: u.yearId },
      );
      expect(journal.myJournal.find((r: { exam: { id: string } }) => r.exam.id === examId).exam.task).toBeNull();
      const entered = await server.ok(s1, 'mutation($e:ID!){ enterExam(examId:$e){ exam { task { text } } } }', {
        e: examId,
      });
      expect(entered.enterExam.exam.task).toBeNull();

      for (const response of [page, list, journal, entered])
        expect(JSON.stringify(response)).not.toContain('Secret task');
    });

    it('is shown to the student once the exam has started', async () => {
      const examId = await exam({
        format: 'TASK',
        ticketAssignment: null,
        taskText: TASK,
        startsAt: minutes(60),
        endsAt: minutes(120),
      });
      expect((await server.ok(s1, Q, { e: examId })).exam.task).toBeNull();
      await start(examId);
      expect((await server.ok(s1, Q, { e: examId })).exam.task).toEqual({ text: TASK, files: [] });
    });

    it("is always shown to staff and the exam's teacher, before the start too", async () => {
      const examId = await exam({
        format: 'TASK',
        ticketAssignment: null,
        taskText: TASK,
        startsAt: minutes(60),
        endsAt: minutes(120),
      });
      expect((await server.ok(staff, Q, { e: examId })).exam.task.text).toBe(TASK);
      expect((await server.ok(teacher, Q, { e: examId })).exam.task.text).toBe(TASK);
    });

    it('keeps its files from the student until the start, by link too', async () => {
      const examId = await exam({
        format: 'TASK',
        ticketAssignment: null,
        taskText: TASK,
        startsAt: minutes(60),
        endsAt: minutes(120),
      });
      const file = await uploadOk(staff, `/files/exams/${examId}/task`, 'task.txt', 'task file body');
      const before = await download(`/files/${file.id}`, s1);
      expect(before.status).toBe(404);
      expect(await before.text()).not.toContain('task file body');
      expect((await download(`/files/${file.id}`, teacher)).status).toBe(200);

      await start(examId);
      const page = await server.ok(s1, Q, { e: examId });
      expect(page.exam.task.files).toEqual([{ name: 'task.txt' }]);
      const after = await download(`/files/${file.id}`, s1);
      expect(after.status).toBe(200);
      expect(await after.text()).toBe('task file body');
    });
  });

  // ---- R2.3: the ticket number -------------------------------------------------------------

  describe('the ticket number', () => {
    it('is null for the student before startsAt even when staff have assigned a ticket, and shown after', async () => {
      const examId = await exam({ startsAt: minutes(60), endsAt: minutes(120) });
      const [t1] = await addTickets(server, staff, examId, 2);
      const assigned = await server.ok(
        staff,
        'mutation($e:ID!,$s:ID!,$t:ID!){ assignTicket(examId:$e, studentId:$s, ticketId:$t){ ticketNumber } }',
        { e: examId, s: u.students[0].id, t: t1 },
      );
      expect(assigned.assignTicket.ticketNumber).toBe(1);

      const page = await server.ok(
        s1,
        'query($e:ID!){ exam(id:$e){ mySitting { ticketNumber } ticketBoard { id } } }',
        { e: examId },
      );
      expect(page.exam.mySitting.ticketNumber).toBeNull();
      expect(page.exam.ticketBoard).toBeNull();
      const entered = await server.ok(s1, 'mutation($e:ID!){ enterExam(examId:$e){ ticketNumber } }', { e: examId });
      expect(entered.enterExam.ticketNumber).toBeNull();
      const list = await server.ok(s1, 'query($y:ID!){ myExams(academicYearId:$y){ id mySitting { ticketNumber } } }', {
        y: u.yearId,
      });
      expect(list.myExams.find((e: { id: string }) => e.id === examId).mySitting.ticketNumber).toBeNull();
      expect(
        await server.code(s1, 'mutation($e:ID!){ showTicketQuestions(examId:$e){ __typename } }', { e: examId }),
      ).toBe('EXAM_NOT_STARTED');

      await start(examId);
      const later = await server.ok(s1, 'query($e:ID!){ exam(id:$e){ mySitting { ticketNumber } } }', { e: examId });
      expect(later.exam.mySitting.ticketNumber).toBe(1);
    });

    it("is shown to staff and the exam's teacher before the start", async () => {
      const examId = await exam({ startsAt: minutes(60), endsAt: minutes(120) });
      const [, t2] = await addTickets(server, staff, examId, 2);
      await server.ok(
        staff,
        'mutation($e:ID!,$s:ID!,$t:ID!){ assignTicket(examId:$e, studentId:$s, ticketId:$t){ id } }',
        { e: examId, s: u.students[1].id, t: t2 },
      );
      for (const token of [staff, teacher]) {
        const room = await server.ok(
          token,
          'query($e:ID!){ exam(id:$e){ sittings { student { login } ticketNumber } } }',
          { e: examId },
        );
        expect(
          room.exam.sittings.find((s: { student: { login: string } }) => s.student.login === 's02').ticketNumber,
        ).toBe(2);
      }
    });

    it("never travels on the student's own subscription before the start", async () => {
      const examId = await exam({ startsAt: minutes(60), endsAt: minutes(120) });
      const [t1] = await addTickets(server, staff, examId, 1);
      await server.ok(
        staff,
        'mutation($e:ID!,$s:ID!,$t:ID!){ assignTicket(examId:$e, studentId:$s, ticketId:$t){ id } }',
        { e: examId, s: u.students[0].id, t: t1 },
      );
      const client = server.ws(s1);
      try {
        const sub = nextPushes(
          client,
          'subscription($e:ID!){ questionsReleased(examId:$e){ ticketNumber questionsReleasedAt } }',
          { e: examId },
        );
        await sub.started;
        await server.ok(staff, 'mutation($e:ID!){ releaseQuestions(examId:$e){ id } }', { e: examId });
        const [push] = await sub.done;
        expect(push.questionsReleased.questionsReleasedAt).toBeTruthy();
        expect(push.questionsReleased.ticketNumber).toBeNull();
      } finally {
        await client.dispose();
      }
    });
  });

  // ---- R4.2: the board ------------------------------------------------------------------------

  describe('the ticket board', () => {
    it('has no number field in the schema', async () => {
      const data = await server.ok(null, '{ __type(name:"TicketTile"){ fields { name } } }');
      expect(data.__type.fields.map((f: { name: string }) => f.name).sort()).toEqual(['id', 'taken']);
      expect(
        await server.code(s1, 'query($e:ID!){ exam(id:$e){ ticketBoard { id number } } }', {
          e: '00000000-0000-0000-0000-000000000000',
        }),
      ).toBe('GRAPHQL_VALIDATION_FAILED');
    });

    it('shows tiles to the choosing student but is null for staff and the teacher', async () => {
      const examId = await exam({ ticketAssignment: 'STUDENT_CHOICE' });
      await addTickets(server, staff, examId, 3);
      const Q = 'query($e:ID!){ exam(id:$e){ ticketBoard { id taken } } }';
      const board = (await server.ok(s1, Q, { e: examId })).exam.ticketBoard;
      expect(board.length).toBe(3);
      expect(JSON.stringify(board)).not.toContain('Questions of ticket');
      expect((await server.ok(staff, Q, { e: examId })).exam.ticketBoard).toBeNull();
      expect((await server.ok(teacher, Q, { e: examId })).exam.ticketBoard).toBeNull();
    });
  });

  // ---- R5.2, R5.3: the questions --------------------------------------------------------------

  describe("the ticket's questions", () => {
    const SHOW = `mutation($e:ID!){ showTicketQuestions(examId:$e){ __typename
      ... on QuestionsPending { message } ... on TicketQuestions { ticketNumber questions files { name } } } }`;

    it('are not returned before staff release them: the student gets QuestionsPending with the wait message', async () => {
      const examId = await exam({ ticketAssignment: 'STUDENT_CHOICE' });
      await addTickets(server, staff, examId, 2);
      const board = (await server.ok(s1, 'query($e:ID!){ exam(id:$e){ ticketBoard { id } } }', { e: examId })).exam
        .ticketBoard;
      await server.ok(s1, 'mutation($e:ID!,$t:ID!){ chooseTicket(examId:$e, ticketId:$t){ id } }', {
        e: examId,
        t: board[0].id,
      });

      const pending = await server.gql(s1, SHOW, { e: examId });
      expect(pending.errors).toBeUndefined();
      expect(pending.data!.showTicketQuestions).toEqual({
        __typename: 'QuestionsPending',
        message: 'Please wait. The questions have not been sent yet.',
      });
      expect(JSON.stringify(pending)).not.toContain('Questions of ticket');
      const sitting = await server.ok(
        s1,
        'query($e:ID!){ exam(id:$e){ mySitting { questionsViewedAt questionsReleasedAt } } }',
        { e: examId },
      );
      expect(sitting.exam.mySitting).toEqual({ questionsViewedAt: null, questionsReleasedAt: null });

      await server.ok(staff, 'mutation($e:ID!){ releaseQuestions(examId:$e){ id } }', { e: examId });
      const shown = await server.ok(s1, SHOW, { e: examId });
      expect(shown.showTicketQuestions.__typename).toBe('TicketQuestions');
      expect(shown.showTicketQuestions.questions).toMatch(/^Questions of ticket [12]$/);
    });

    it('keep their files from the student until they are released', async () => {
      const examId = await exam({ studentIds: [u.students[0].id] });
      const [t1] = await addTickets(server, staff, examId, 1);
      const file = await uploadOk(staff, `/files/tickets/${t1}`, 'ticket-1.txt', 'ticket one attachment');
      await server.ok(
        staff,
        'mutation($e:ID!,$s:ID!,$t:ID!){ assignTicket(examId:$e, studentId:$s, ticketId:$t){ id } }',
        { e: examId, s: u.students[0].id, t: t1 },
      );

      expect((await server.ok(s1, SHOW, { e: examId })).showTicketQuestions.__typename).toBe('QuestionsPending');
      const before = await download(`/files/${file.id}`, s1);
      expect(before.status).toBe(404);
      expect(await before.text()).not.toContain('ticket one attachment');

      await server.ok(staff, 'mutation($e:ID!){ releaseQuestions(examId:$e){ id } }', { e: examId });
      const shown = await server.ok(s1, SHOW, { e: examId });
      expect(shown.showTicketQuestions.files).toEqual([{ name: 'ticket-1.txt' }]);
      const after = await download(`/files/${file.id}`, s1);
      expect(after.status).toBe(200);
      expect(await after.text()).toBe('ticket one attachment');
    });

    it('and the tickets list are for staff and the teacher only', async () => {
      const examId = await exam();
      await addTickets(server, staff, examId, 1);
      const Q = 'query($e:ID!){ exam(id:$e){ tickets { number questions } } }';
      expect(await server.code(s1, Q, { e: examId })).toBe('FORBIDDEN');
      expect((await server.ok(staff, Q, { e: examId })).exam.tickets).toEqual([
        { number: 1, questions: 'Questions of ticket 1' },
      ]);
      expect((await server.ok(teacher, Q, { e: examId })).exam.tickets.length).toBe(1);
    });
  });

  // ---- R7.4, R7.6: drafts ---------------------------------------------------------------------

  describe('a draft answer', () => {
    const ROOM =
      'query($e:ID!){ exam(id:$e){ sittings { id student { login } answer { text status } answerStatus answerSavedAt } } }';

    it('is invisible to the teacher and staff (answer null, answerSavedAt set), and visible once SUBMITTED', async () => {
      const { examId } = await answeringExam([me(0, () => s1)]);
      await server.ok(s1, 'mutation($e:ID!){ saveAnswer(examId:$e, text:"My secret draft answer"){ status } }', {
        e: examId,
      });

      const own = await server.ok(s1, 'query($e:ID!){ exam(id:$e){ mySitting { answer { text status } } } }', {
        e: examId,
      });
      expect(own.exam.mySitting.answer).toEqual({ text: 'My secret draft answer', status: 'DRAFT' });

      for (const token of [teacher, staff]) {
        const room = await server.gql(token, ROOM, { e: examId });
        expect(room.errors).toBeUndefined();
        const [sitting] = room.data!.exam.sittings;
        expect(sitting.answer).toBeNull();
        expect(sitting.answerStatus).toBe('DRAFT');
        expect(sitting.answerSavedAt).toBeTruthy();
        expect(JSON.stringify(room)).not.toContain('secret draft');
      }

      await server.ok(s1, 'mutation($e:ID!){ submitAnswer(examId:$e, text:"My final sent answer"){ status } }', {
        e: examId,
      });
      for (const token of [teacher, staff]) {
        const [sitting] = (await server.ok(token, ROOM, { e: examId })).exam.sittings;
        expect(sitting.answer).toEqual({ text: 'My final sent answer', status: 'SUBMITTED' });
      }
    });

    it('does not travel to the teacher on sittingChanged either', async () => {
      const { examId } = await answeringExam([me(0, () => s1)]);
      const client = server.ws(teacher);
      try {
        const sub = nextPushes(
          client,
          'subscription($e:ID!){ sittingChanged(examId:$e){ answer { text } answerSavedAt answerStatus } }',
          { e: examId },
        );
        await sub.started;
        await server.ok(s1, 'mutation($e:ID!){ saveAnswer(examId:$e, text:"Pushed draft text"){ status } }', {
          e: examId,
        });
        const [push] = await sub.done;
        expect(push.sittingChanged.answer).toBeNull();
        expect(push.sittingChanged.answerStatus).toBe('DRAFT');
        expect(push.sittingChanged.answerSavedAt).toBeTruthy();
      } finally {
        await client.dispose();
      }
    });

    it('shows staff and the teacher only that it changed and when — no file name, no text — in the trail, on sittingChanged and in answer, until sent', async () => {
      const { examId } = await answeringExam([me(0, () => s1)]);
      const WATCH =
        'subscription($e:ID!){ sittingChanged(examId:$e){ answer { text files { name } } answerStatus answerSavedAt events { kind detail } } }';
      const TRAIL =
        'query($e:ID!){ exam(id:$e){ sittings { answer { text files { name } } events { kind at detail } } } }';
      const clients = [server.ws(teacher), server.ws(staff)];
      try {
        const feeds = clients.map((client) => {
          const pushes: any[] = [];
          client.subscribe(
            { query: WATCH, variables: { e: examId } },
            {
              next: (value) => pushes.push(value.errors ? { errors: value.errors } : value.data),
              error: (e) => pushes.push({ errors: e }),
              complete: () => undefined,
            },
          );
          return pushes;
        });
        // live once a touch of the exam (which pushes the sitting) reaches both; then the pushes so far are forgotten
        for (let i = 0; i < 20 && feeds.some((f) => f.length === 0); i++) {
          await start(examId);
          await sleep(250);
        }
        await sleep(300);
        for (const f of feeds) f.length = 0;
        const saved = (pushes: any[]) =>
          pushes.some((p) => p.sittingChanged?.events.some((e: { kind: string }) => e.kind === 'ANSWER_SAVED'));
        await uploadOk(s1, `/files/answers/${examId}`, 'secret-plan.pdf', 'the plan');
        const dropped = await uploadOk(s1, `/files/answers/${examId}`, 'deleted-notes.txt', 'notes');
        await server.ok(s1, 'mutation($e:ID!,$f:ID!){ deleteAnswerFile(examId:$e, fileId:$f){ status } }', {
          e: examId,
          f: dropped.id,
        });
        await server.ok(s1, 'mutation($e:ID!){ saveAnswer(examId:$e, text:"Secret draft words"){ status } }', {
          e: examId,
        });
        const secrets = ['secret-plan', 'deleted-notes', 'Secret draft words', 'characters'];

        for (const pushes of feeds) {
          for (let i = 0; i < 200 && !saved(pushes); i++) await sleep(25);
          expect(pushes.length).toBeGreaterThanOrEqual(4); // two uploads, a delete, a save
          for (const secret of secrets)
            expect(JSON.stringify(pushes)).withContext(`pushed: ${secret}`).not.toContain(secret);
          const last = pushes[pushes.length - 1].sittingChanged;
          expect(last.answer).toBeNull();
          expect(last.answerStatus).toBe('DRAFT');
          expect(last.answerSavedAt).toBeTruthy();
          expect(
            last.events.filter((e: { kind: string }) =>
              ['FILE_UPLOADED', 'FILE_DELETED', 'ANSWER_SAVED'].includes(e.kind),
            ),
          ).toEqual([
            { kind: 'FILE_UPLOADED', detail: 'private draft' },
            { kind: 'FILE_UPLOADED', detail: 'private draft' },
            { kind: 'FILE_DELETED', detail: 'private draft' },
            { kind: 'ANSWER_SAVED', detail: 'private draft' },
          ]);
        }
        for (const token of [teacher, staff]) {
          const trail = await server.gql(token, TRAIL, { e: examId });
          expect(trail.errors).toBeUndefined();
          for (const secret of secrets)
            expect(JSON.stringify(trail)).withContext(`read: ${secret}`).not.toContain(secret);
          expect(trail.data!.exam.sittings[0].events.map((e: { at: string }) => e.at).every(Boolean)).toBeTrue(); // the when is there
        }
        // the student's own answer still lists their files
        const own = await server.ok(s1, 'query($e:ID!){ exam(id:$e){ mySitting { answer { files { name } } } } }', {
          e: examId,
        });
        expect(own.exam.mySitting.answer.files).toEqual([{ name: 'secret-plan.pdf' }]);

        // once sent: the sent file's name and the sizes show; the deleted file's name never does
        await server.ok(s1, 'mutation($e:ID!){ submitAnswer(examId:$e, text:"Final words sent"){ status } }', {
          e: examId,
        });
        for (const token of [teacher, staff]) {
          const [sitting] = (await server.ok(token, TRAIL, { e: examId })).exam.sittings;
          expect(sitting.answer).toEqual({ text: 'Final words sent', files: [{ name: 'secret-plan.pdf' }] });
          const details = sitting.events
            .filter((e: { kind: string }) =>
              ['FILE_UPLOADED', 'FILE_DELETED', 'ANSWER_SAVED', 'ANSWER_SUBMITTED'].includes(e.kind),
            )
            .map((e: { kind: string; detail: string }) => [e.kind, e.detail]);
          expect(details).toEqual([
            ['FILE_UPLOADED', 'secret-plan.pdf'],
            ['FILE_UPLOADED', 'private draft'],
            ['FILE_DELETED', 'private draft'],
            ['ANSWER_SAVED', '18 characters, 1 file(s)'],
            ['ANSWER_SUBMITTED', '16 characters, 1 file(s)'],
          ]);
          expect(JSON.stringify(sitting)).not.toContain('deleted-notes');
        }
      } finally {
        for (const c of clients) await c.dispose();
      }
    });

    it('is not in the journal rows the teacher reads', async () => {
      const { examId } = await answeringExam([me(0, () => s1)]);
      await server.ok(s1, 'mutation($e:ID!){ saveAnswer(examId:$e, text:"Journal draft text"){ status } }', {
        e: examId,
      });
      const journal = await server.gql(
        teacher,
        'query($d:ID!,$p:ID!){ journal(disciplineId:$d, periodId:$p){ exam { id sittings { answer { text } } } } }',
        { d: u.disciplineId, p: u.periodId },
      );
      expect(journal.errors).toBeUndefined();
      expect(JSON.stringify(journal)).not.toContain('Journal draft text');
    });
  });

  // ---- one student, another student's exam -------------------------------------------------------

  describe('another student', () => {
    it('cannot read an exam they are not enrolled in (NOT_FOUND), nor act on it', async () => {
      const examId = await exam({ studentIds: [u.students[0].id] });
      const refused = await server.gql(s2, 'query($e:ID!){ exam(id:$e){ id discipline { title } } }', { e: examId });
      expect(errorCode(refused)).toBe('NOT_FOUND');
      expect(refused.data?.exam ?? null).toBeNull();
      expect(await server.code(s2, 'mutation($e:ID!){ enterExam(examId:$e){ id } }', { e: examId })).toBe('NOT_FOUND');
      expect(
        await server.code(s2, 'mutation($e:ID!){ showTicketQuestions(examId:$e){ __typename } }', { e: examId }),
      ).toBe('NOT_FOUND');
      expect(
        await server.code(s2, 'mutation($e:ID!){ saveAnswer(examId:$e, text:"not my exam at all"){ status } }', {
          e: examId,
        }),
      ).toBe('NOT_FOUND');
      const list = await server.ok(s2, 'query($y:ID!){ myExams(academicYearId:$y){ id } }', { y: u.yearId });
      expect(list.myExams.map((e: { id: string }) => e.id)).not.toContain(examId);
      const journal = await server.ok(s2, 'query($y:ID!){ myJournal(academicYearId:$y){ exam { id } } }', {
        y: u.yearId,
      });
      expect(journal.myJournal.map((r: { exam: { id: string } }) => r.exam.id)).not.toContain(examId);
    });

    it('cannot subscribe to an exam they are not enrolled in', async () => {
      const examId = await exam({ studentIds: [u.students[0].id] });
      const client = server.ws(s2);
      try {
        await expectAsync(
          nextPushes(client, 'subscription($e:ID!){ questionsReleased(examId:$e){ id } }', { e: examId }).done,
        ).toBeRejectedWithError(/NOT_FOUND/);
        await expectAsync(
          nextPushes(client, 'subscription($e:ID!){ ticketBoardChanged(examId:$e){ id } }', { e: examId }).done,
        ).toBeRejectedWithError(/NOT_FOUND/);
      } finally {
        await client.dispose();
      }
    });

    it('cannot list the sittings of their own exam (FORBIDDEN), nor its audit trail', async () => {
      const { examId } = await answeringExam([me(0, () => s1), me(1, () => s2)]);
      await server.ok(s2, 'mutation($e:ID!){ saveAnswer(examId:$e, text:"Student two draft"){ status } }', {
        e: examId,
      });
      const room = await server.gql(
        s1,
        'query($e:ID!){ exam(id:$e){ sittings { student { login } answer { text } } } }',
        { e: examId },
      );
      expect(errorCode(room)).toBe('FORBIDDEN');
      expect(JSON.stringify(room)).not.toContain('Student two draft');
      expect(
        await server.code(s1, 'query($e:ID!){ exam(id:$e){ mySitting { exam { sittings { id } } } } }', { e: examId }),
      ).toBe('FORBIDDEN');
      expect(
        await server.code(s1, 'query($e:ID!){ exam(id:$e){ mySitting { events { kind } } } }', { e: examId }),
      ).toBe('FORBIDDEN');
      const client = server.ws(s1);
      try {
        await expectAsync(
          nextPushes(client, 'subscription($e:ID!){ sittingChanged(examId:$e){ id } }', { e: examId }).done,
        ).toBeRejectedWithError(/FORBIDDEN/);
      } finally {
        await client.dispose();
      }
    });

    it('sees only their own sitting as mySitting', async () => {
      const { examId } = await answeringExam([me(0, () => s1), me(1, () => s2)]);
      await server.ok(s2, 'mutation($e:ID!){ saveAnswer(examId:$e, text:"Student two own draft"){ status } }', {
        e: examId,
      });
      const page = await server.ok(
        s1,
        'query($e:ID!){ exam(id:$e){ mySitting { student { login } answer { text } } } }',
        { e: examId },
      );
      expect(page.exam.mySitting).toEqual({ student: { login: 's01' }, answer: null });
    });
  });

  // ---- R2.6, R3.1: the platform ---------------------------------------------------------------

  describe('the conducting platform', () => {
    it('is not visible to a non-enrolled student: the whole exam is NOT_FOUND', async () => {
      const examId = await exam({ studentIds: [u.students[0].id] });
      await server.ok(staff, 'mutation($e:ID!,$p:PlatformInput){ setPlatform(examId:$e, platform:$p){ id } }', {
        e: examId,
        p: { name: 'Zoom', url: 'https://zoom.example/j/123', login: 'room-123', password: 'platform-pass-987' },
      });

      const Q = 'query($e:ID!){ exam(id:$e){ platform { name url login password } } }';
      const outsider = await server.gql(s2, Q, { e: examId });
      expect(errorCode(outsider)).toBe('NOT_FOUND');
      expect(outsider.data?.exam ?? null).toBeNull();
      expect(JSON.stringify(outsider)).not.toContain('platform-pass-987');
      expect(JSON.stringify(outsider)).not.toContain('zoom.example');
      const list = await server.ok(s2, 'query($y:ID!){ myExams(academicYearId:$y){ platform { password } } }', {
        y: u.yearId,
      });
      expect(JSON.stringify(list)).not.toContain('platform-pass-987');

      const enrolled = await server.ok(s1, Q, { e: examId });
      expect(enrolled.exam.platform).toEqual({
        name: 'Zoom',
        url: 'https://zoom.example/j/123',
        login: 'room-123',
        password: 'platform-pass-987',
      });
    });
  });

  // ---- R8.1: the recording --------------------------------------------------------------------

  describe('the recording', () => {
    const Q = 'query($e:ID!){ exam(id:$e){ recording { url visibleToStudents } } }';
    const SET = 'mutation($e:ID!,$u:String,$v:Boolean!){ setRecording(examId:$e, url:$u, visibleToStudents:$v){ id } }';

    it('is null for students unless visibleToStudents, while staff and the teacher see it', async () => {
      const examId = await exam();
      await server.ok(staff, SET, { e: examId, u: 'https://video.example/rec/1', v: false });
      const hidden = await server.gql(s1, Q, { e: examId });
      expect(hidden.errors).toBeUndefined();
      expect(hidden.data!.exam.recording).toBeNull();
      expect(JSON.stringify(hidden)).not.toContain('video.example');
      expect((await server.ok(staff, Q, { e: examId })).exam.recording).toEqual({
        url: 'https://video.example/rec/1',
        visibleToStudents: false,
      });
      expect((await server.ok(teacher, Q, { e: examId })).exam.recording).toEqual({
        url: 'https://video.example/rec/1',
        visibleToStudents: false,
      });

      await server.ok(staff, SET, { e: examId, u: 'https://video.example/rec/1', v: true });
      expect((await server.ok(s1, Q, { e: examId })).exam.recording).toEqual({
        url: 'https://video.example/rec/1',
        visibleToStudents: true,
      });
    });
  });

  // ---- teachers ---------------------------------------------------------------------------

  describe('the teacher of another exam', () => {
    it('cannot see it (NOT_FOUND), list it, follow it, or read it in the journal', async () => {
      const { examId } = await answeringExam([me(0, () => s1)]);
      await server.ok(
        s1,
        'mutation($e:ID!){ submitAnswer(examId:$e, text:"Answer the other teacher must not read"){ status } }',
        { e: examId },
      );

      const seen = await server.gql(teacher2, 'query($e:ID!){ exam(id:$e){ sittings { answer { text } } } }', {
        e: examId,
      });
      expect(errorCode(seen)).toBe('NOT_FOUND');
      expect(JSON.stringify(seen)).not.toContain('must not read');
      const list = await server.ok(teacher2, 'query($p:ID!){ exams(periodId:$p){ id } }', { p: u.periodId });
      expect(list.exams.map((e: { id: string }) => e.id)).not.toContain(examId);
      const journal = await server.ok(
        teacher2,
        'query($d:ID!,$p:ID!){ journal(disciplineId:$d, periodId:$p){ exam { id } } }',
        { d: u.disciplineId, p: u.periodId },
      );
      expect(journal.journal).toEqual([]);
      const client = server.ws(teacher2);
      try {
        await expectAsync(
          nextPushes(client, 'subscription($e:ID!){ sittingChanged(examId:$e){ id } }', { e: examId }).done,
        ).toBeRejectedWithError(/NOT_FOUND/);
      } finally {
        await client.dispose();
      }
    });

    it("cannot grade it, while the exam's own teacher can", async () => {
      const { examId } = await answeringExam([me(0, () => s1)]);
      await server.ok(s1, 'mutation($e:ID!){ submitAnswer(examId:$e, text:"An answer to be graded"){ status } }', {
        e: examId,
      });
      const [sitting] = (await server.ok(teacher, 'query($e:ID!){ exam(id:$e){ sittings { id } } }', { e: examId }))
        .exam.sittings;
      const GRADE =
        'mutation($s:ID!,$n:Int!){ gradeSitting(sittingId:$s, score:$n){ grade { score gradedBy { login } } } }';

      expect(await server.code(teacher2, GRADE, { s: sitting.id, n: 95 })).toBe('NOT_FOUND');
      const after = await server.ok(s1, 'query($e:ID!){ exam(id:$e){ mySitting { grade { score } } } }', { e: examId });
      expect(after.exam.mySitting.grade).toBeNull();

      const graded = await server.ok(teacher, GRADE, { s: sitting.id, n: 71 });
      expect(graded.gradeSitting.grade).toEqual({ score: 71, gradedBy: { login: 'teacher' } });
    });
  });

  // ---- roles ------------------------------------------------------------------------------

  describe('roles', () => {
    it('a student cannot call staff mutations (FORBIDDEN) and nothing changes', async () => {
      const examId = await exam();
      const [t1] = await addTickets(server, staff, examId, 1);
      const input = inputs.get(examId)!;
      const attempts: [string, string, Record<string, unknown>][] = [
        ['createExam', CREATE_EXAM, { input }],
        [
          'updateExam',
          'mutation($id:ID!,$input:ExamInput!){ updateExam(id:$id, input:$input, confirmStarted:true){ id } }',
          { id: examId, input: { ...input, endsAt: minutes(600) } },
        ],
        ['addTicket', 'mutation($e:ID!){ addTicket(examId:$e, number:7, questions:"injected"){ id } }', { e: examId }],
        [
          'updateTicket',
          'mutation($t:ID!){ updateTicket(ticketId:$t, number:1, questions:"rewritten"){ id } }',
          { t: t1 },
        ],
        ['removeTicket', 'mutation($t:ID!){ removeTicket(ticketId:$t) }', { t: t1 }],
        [
          'assignTicket',
          'mutation($e:ID!,$s:ID!,$t:ID!){ assignTicket(examId:$e, studentId:$s, ticketId:$t){ id } }',
          { e: examId, s: u.students[0].id, t: t1 },
        ],
        ['releaseQuestions', 'mutation($e:ID!){ releaseQuestions(examId:$e){ id } }', { e: examId }],
        [
          'setPlatform',
          'mutation($e:ID!){ setPlatform(examId:$e, platform:{ name:"Evil", url:"https://evil.example" }){ id } }',
          { e: examId },
        ],
        [
          'setRecording',
          'mutation($e:ID!){ setRecording(examId:$e, url:"https://evil.example/rec", visibleToStudents:true){ id } }',
          { e: examId },
        ],
        [
          'setExtraTime',
          'mutation($e:ID!,$s:ID!,$t:DateTime){ setExtraTime(examId:$e, studentId:$s, endsAt:$t){ id } }',
          { e: examId, s: u.students[0].id, t: minutes(600) },
        ],
        [
          'upsertUsers',
          'mutation { upsertUsers(users:[{ login:"s01", fullName:"Promoted", role:STAFF, password:"owned!" }]){ id } }',
          {},
        ],
        [
          'gradeSitting',
          'mutation($s:ID!){ gradeSitting(sittingId:$s, score:100){ id } }',
          { s: '00000000-0000-0000-0000-000000000000' },
        ],
      ];
      for (const [name, query, variables] of attempts) {
        expect(await server.code(s1, query, variables))
          .withContext(name)
          .toBe('FORBIDDEN');
      }
      for (const [name, query] of [
        ['users', '{ users { login } }'],
        ['exams', `{ exams(periodId:"${u.periodId}"){ id } }`],
        ['journal', `{ journal(disciplineId:"${u.disciplineId}", periodId:"${u.periodId}"){ grade { score } } }`],
      ]) {
        expect(await server.code(s1, query))
          .withContext(name)
          .toBe('FORBIDDEN');
      }

      const state = await server.ok(
        staff,
        'query($e:ID!){ exam(id:$e){ endsAt platform { url } recording { url } tickets { number questions takenBy { id } } sittings { endsAt questionsReleasedAt } } }',
        { e: examId },
      );
      expect(state.exam.platform).toBeNull();
      expect(state.exam.recording).toBeNull();
      expect(state.exam.tickets).toEqual([{ number: 1, questions: 'Questions of ticket 1', takenBy: null }]);
      expect(
        state.exam.sittings.every(
          (s: { questionsReleasedAt: string | null; endsAt: string }) =>
            s.questionsReleasedAt === null && s.endsAt === state.exam.endsAt,
        ),
      ).toBeTrue();
      expect(Date.parse(state.exam.endsAt)).toBe(Date.parse(input.endsAt as string));
      expect((await server.ok(s1, '{ me { role fullName } }')).me).toEqual({ role: 'STUDENT', fullName: 'Test s01' });
    });

    it('a teacher cannot createExam (FORBIDDEN), nor run staff mutations on their own exam', async () => {
      const examId = await exam();
      const input = inputs.get(examId)!;
      expect(await server.code(teacher, CREATE_EXAM, { input })).toBe('FORBIDDEN');
      expect(
        await server.code(
          teacher,
          'mutation($id:ID!,$input:ExamInput!){ updateExam(id:$id, input:$input, confirmStarted:true){ id } }',
          { id: examId, input },
        ),
      ).toBe('FORBIDDEN');
      expect(
        await server.code(teacher, 'mutation($e:ID!){ addTicket(examId:$e, number:9, questions:"x"){ id } }', {
          e: examId,
        }),
      ).toBe('FORBIDDEN');
      expect(
        await server.code(
          teacher,
          'mutation { upsertUsers(users:[{ login:"teacher", fullName:"T", role:STAFF }]){ id } }',
        ),
      ).toBe('FORBIDDEN');
      const list = await server.ok(staff, 'query($p:ID!){ exams(periodId:$p){ id } }', { p: u.periodId });
      expect(list.exams.length).toBe(inputs.size);
    });

    it('a teacher or staff member cannot act as a student', async () => {
      const examId = await exam();
      expect(await server.code(teacher, 'mutation($e:ID!){ enterExam(examId:$e){ id } }', { e: examId })).toBe(
        'FORBIDDEN',
      );
      expect(
        await server.code(staff, 'mutation($e:ID!){ saveAnswer(examId:$e, text:"staff writing answers"){ status } }', {
          e: examId,
        }),
      ).toBe('FORBIDDEN');
    });
  });

  // ---- files ------------------------------------------------------------------------------

  describe('file downloads', () => {
    let examId: string;
    let fileA: { id: string; url: string };
    let fileB: { id: string; url: string };

    beforeAll(async () => {
      ({ examId } = await answeringExam([me(0, () => s1), me(1, () => s2)]));
      fileA = await uploadOk(s1, `/files/answers/${examId}`, 'answer-a.txt', 'contents of A');
      fileB = await uploadOk(s2, `/files/answers/${examId}`, 'answer-b.txt', 'contents of B');
    });

    it("a student cannot download another student's answer file (404 JSON), by token or with their own link", async () => {
      for (const res of [await download(`/files/${fileA.id}`, s2), await download(`/files/${fileA.id}`, s3)]) {
        expect(res.status).toBe(404);
        expect(res.headers.get('content-type')).toContain('application/json');
        const body = (await res.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe('NOT_FOUND');
        expect(JSON.stringify(body)).not.toContain('contents of A');
      }
      // s2's own signed link, pointed at s1's file
      const forged = fileB.url.replace(fileB.id, fileA.id);
      expect((await download(forged)).status).toBe(401);

      const own = await download(`/files/${fileA.id}`, s1);
      expect(own.status).toBe(200);
      expect(await own.text()).toBe('contents of A');
      const ownLink = await download(fileA.url);
      expect(ownLink.status).toBe(200);
      expect(await ownLink.text()).toBe('contents of A');
    });

    it("a student cannot upload into another student's exam", async () => {
      const res = await upload(s3, `/files/answers/${examId}`, 'intruder.txt', 'x');
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    });

    it('the teacher can download an answer file only once the answer is SUBMITTED', async () => {
      const exam2 = (await answeringExam([me(2, () => s3)])).examId;
      const file = await uploadOk(s3, `/files/answers/${exam2}`, 'draft-file.txt', 'draft file body');
      for (const token of [teacher, staff]) {
        const res = await download(`/files/${file.id}`, token);
        expect(res.status).withContext('before sending').toBe(404);
        expect(await res.text()).not.toContain('draft file body');
      }

      await server.ok(s3, 'mutation($e:ID!){ submitAnswer(examId:$e, text:"see the file attached"){ status } }', {
        e: exam2,
      });
      const room = await server.ok(
        teacher,
        'query($e:ID!){ exam(id:$e){ sittings { answer { files { id url } } } } }',
        { e: exam2 },
      );
      const ref = room.exam.sittings[0].answer.files[0];
      expect(ref.id).toBe(file.id);
      const signed = await download(ref.url);
      expect(signed.status).toBe(200);
      expect(await signed.text()).toBe('draft file body');
      expect((await download(`/files/${file.id}`, teacher)).status).toBe(200);
      expect((await download(`/files/${file.id}`, teacher2)).status).toBe(404);
      expect((await download(`/files/${file.id}`, s1)).status).toBe(404);
    });

    it('an unauthenticated download without a signed url gets 401', async () => {
      for (const path of [
        `/files/${fileA.id}`,
        `/files/${fileA.id}?access=`,
        '/files/00000000-0000-0000-0000-000000000000',
      ]) {
        const res = await download(path);
        expect(res.status).withContext(path).toBe(401);
        const body = (await res.json()) as { error: { code: string } };
        expect(body.error.code).toBe('UNAUTHENTICATED');
      }
      const bad = await fetch(`${server.url}/files/${fileA.id}`, {
        headers: { authorization: 'Bearer revoked-or-made-up' },
      });
      expect(bad.status).toBe(401);
    });

    it('a tampered signed url is refused', async () => {
      const url = new URL(fileA.url, server.url);
      const [userId, expires, signature] = url.searchParams.get('access')!.split('.');
      const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
      const variants = [
        `${userId}.${expires}.${flip(signature)}`,
        `${userId}.${expires}.${signature.slice(0, -1)}`,
        `${u.students[1].id}.${expires}.${signature}`,
        `${u.staff.id}.${expires}.${signature}`,
        `${userId}.${Number(expires) + 3600_000}.${signature}`,
        `${userId}.${expires}`,
        `${userId}.${Date.now() - 1000}.${signature}`,
      ];
      for (const access of variants) {
        const res = await download(`/files/${fileA.id}?access=${encodeURIComponent(access)}`);
        expect(res.status).withContext(access).toBe(401);
        expect(await res.text()).not.toContain('contents of A');
      }
      // the untouched link still works, so the refusals above are about the tampering
      expect((await download(fileA.url)).status).toBe(200);
    });
  });
});
