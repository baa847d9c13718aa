import { ExamEvents, type SittingEventPayload } from './events';
import { Metrics } from './metrics';
import type { SubscriptionQueue } from './subscription-queue';

/** An instance's topics (no Redis): each event reaches the subscribers it concerns and no one else. */
describe("an instance's exam topics", () => {
  let events: ExamEvents;
  let queues: () => Iterable<{ depth: number }>;

  beforeEach(() => {
    const metrics = new Metrics();
    spyOn(metrics, 'observeSubscriptionQueues').and.callFake((all) => (queues = all));
    events = new ExamEvents(100, 8, metrics);
  });

  const change = (examId: string, studentId: string): SittingEventPayload => ({
    examId,
    sittingId: `${examId}/${studentId}`,
    studentId,
  });
  const pending = async (queue: SubscriptionQueue<SittingEventPayload>) => {
    const got: string[] = [];
    while (queue.depth > 0) got.push((await queue.next()).value.sittingId);
    return got;
  };
  const none = () => undefined;

  it("puts a release in each released student's own queues and staff's, and in no one else's", async () => {
    const releasedA = events.released('E', 'a', none);
    const releasedB = events.released('E', 'b', none);
    const mineA = events.mySitting('E', 'a', none);
    const mineB = events.mySitting('E', 'b', none);
    const mineAtOtherExam = events.mySitting('F', 'a', none);
    const releasedAtOtherExam = events.released('F', 'a', none);
    const staff = events.sittings('E', none);
    const otherStaff = events.sittings('F', none);

    events.questionsReleased('E', [change('E', 'a')]);
    events.sittingChanged(change('E', 'b'));

    expect(await pending(releasedA)).toEqual(['E/a']);
    expect(await pending(mineA)).toEqual(['E/a']);
    expect(await pending(releasedB)).toEqual([]); // B's change was no release
    expect(await pending(mineB)).toEqual(['E/b']);
    expect(await pending(staff)).toEqual(['E/a', 'E/b']);
    for (const queue of [mineAtOtherExam, releasedAtOtherExam, otherStaff]) expect(queue.depth).toBe(0);
  });

  it('reaches every subscriber of a topic, and forgets a topic once its last one has left', async () => {
    const first = events.released('E', 'a', none);
    const second = events.released('E', 'a', none); // the same student in two tabs
    const board = events.board('E', none);
    expect([...queues()].length).toBe(3);

    events.questionsReleased('E', [change('E', 'a'), change('E', 'b')]);
    events.ticketBoardChanged('E');
    expect(await pending(first)).toEqual(['E/a']);
    expect(await pending(second)).toEqual(['E/a']);
    expect(board.depth).toBe(1);

    await first.return();
    events.questionsReleased('E', [change('E', 'a')]);
    expect(await pending(second)).toEqual(['E/a']);
    await second.return();
    await board.return();
    expect([...queues()]).toEqual([]);

    const again = events.released('E', 'a', none);
    events.questionsReleased('E', [change('E', 'a')]);
    expect(await pending(again)).toEqual(['E/a']);
  });

  it('tells a watcher of a student’s sitting each change of it, and stops when asked', () => {
    const seen: string[] = [];
    const stop = events.watchSitting('E', 'a', (c) => seen.push(c.sittingId));
    events.questionsReleased('E', [change('E', 'a'), change('E', 'b')]);
    events.sittingChanged(change('F', 'a'));
    stop();
    events.sittingChanged(change('E', 'a'));
    expect(seen).toEqual(['E/a']);
    expect([...queues()]).toEqual([]);
  });

  it('tells staff and the commission of an appeal, and no other teacher', () => {
    const staff = events.appeals('staff', none);
    const member = events.appeals('t1', none);
    const other = events.appeals('t2', none);
    events.appealChanged({ examId: 'E', appealId: 'p', commissionIds: ['t1'] });
    expect([staff.depth, member.depth, other.depth]).toEqual([1, 1, 0]);
  });
});
