import { crowdedExam, rawSubscribe, type Crowd, type RawSubscriber } from '../../testing/crowd';
import { sleep, startTestServer, type TestServer } from '../../testing/harness';

const ENTER = 'mutation($e:ID!){ enterExam(examId:$e){ id enteredAt } }';
const PAGE = 'subscription($e:ID!){ mySittingChanged(examId:$e){ id } }';

/**
 * One entry, one «Кірді»: the exam page says it arrived twice (enterExam and its socket), a page retries its request,
 * a reload repeats both; the trail records the entry once, and again only after the student has left.
 */
describe('entering the exam in the audit trail', () => {
  let server: TestServer;
  let crowd: Crowd;
  const sockets: RawSubscriber[] = [];

  beforeEach(async () => {
    server = await startTestServer();
    crowd = await crowdedExam(server, 1);
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.socket.terminate();
    await server.stop();
  });

  const student = () => crowd.students[0];
  const enter = () => server.ok(student().token, ENTER, { e: crowd.examId });
  async function openPage(): Promise<RawSubscriber> {
    const socket = await rawSubscribe(server.app.wsUrl, student().token, PAGE, { e: crowd.examId });
    sockets.push(socket);
    return socket;
  }
  async function trail(): Promise<{ kinds: string[]; online: boolean }> {
    const { exam } = await server.ok(
      crowd.staff,
      'query($e:ID!){ exam(id:$e){ sittings { online events { kind at } } } }',
      { e: crowd.examId },
    );
    const [sitting] = exam.sittings as { online: boolean; events: { kind: string }[] }[];
    return {
      kinds: sitting.events.map((e) => e.kind).filter((k) => k === 'ENTERED' || k === 'LEFT'),
      online: sitting.online,
    };
  }
  async function until(test: (t: { kinds: string[]; online: boolean }) => boolean): Promise<string[]> {
    const deadline = Date.now() + 10_000;
    let last = await trail();
    while (!test(last) && Date.now() < deadline) {
      await sleep(25);
      last = await trail();
    }
    return last.kinds;
  }

  it('records one ENTERED for a page that calls enterExam and opens its socket, in either order', async () => {
    await enter();
    await openPage();
    expect(await until((t) => t.online)).toEqual(['ENTERED']);

    const enteredAt = (await enter()).enterExam.enteredAt;
    expect(enteredAt).toBeTruthy();
    await openPage(); // a second tab of the same entry
    await sleep(100);
    expect((await trail()).kinds).toEqual(['ENTERED']);
  });

  it('stays one ENTERED when the page sends enterExam twice at once with its socket opening (a double request)', async () => {
    await Promise.all([enter(), enter(), openPage(), enter()]);
    expect(await until((t) => t.online)).toEqual(['ENTERED']);
  });

  it('records a reload as leaving and entering once more, however quickly it repeats', async () => {
    let page = await openPage();
    await enter();
    expect(await until((t) => t.online)).toEqual(['ENTERED']);
    for (let reload = 0; reload < 2; reload++) {
      page.socket.close();
      await Promise.all([enter(), enter()]); // the new page's request, retried
      page = await openPage();
      await enter();
    }
    const kinds = await until((t) => t.online && t.kinds.length >= 5);
    expect(kinds).toEqual(['ENTERED', 'LEFT', 'ENTERED', 'LEFT', 'ENTERED']);
  });

  it('records one ENTERED per entry when the student only calls enterExam (no socket) and repeats it', async () => {
    await Promise.all([enter(), enter()]);
    await enter();
    expect((await trail()).kinds).toEqual(['ENTERED']);
  });
});
