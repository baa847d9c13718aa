import { performance } from 'node:perf_hooks';
import { clientOperation } from '../../testing/client-operations';
import { graphql, pool, SocketCrowd, type Delivery } from '../load';
import type { RunContext, RunOutcome, Scenario } from '../runner';

const PHASE_MS = Number(process.env.BENCH_PUSH_TIMEOUT_S ?? 120) * 1000;
/** handshakes in flight at once (a burst of thousands at once is not what is measured) */
const PARALLEL = 50;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** how one side connects its sockets and sends the two events; the measuring around them is shared */
interface SocketSide {
  connect(ctx: RunContext, crowd: SocketCrowd, i: number): Promise<void>;
  /** resolves once the server holds every subscription */
  subscribed(ctx: RunContext): Promise<void>;
  chooseTicket(ctx: RunContext): Promise<void>;
  release(ctx: RunContext): Promise<void>;
}

const within = <T>(ms: number, work: Promise<T>, what: string) =>
  Promise.race([work, sleep(ms).then(() => Promise.reject(new Error(`${what}: not done within ${ms / 1000} s`)))]);

/**
 * S2 and S3 in one run: every student of the crowd opens a socket and subscribes, as the exam page does, to the release
 * of one exam (where each holds a ticket) and to the board of another (where none does yet, so the board is shown);
 * S2 is the time until the server holds all those subscriptions, and the memory per socket. Then one more student
 * takes a ticket and every viewer must receive the board (S3 board), then staff release the questions to all (S3
 * release); each push timed to its last receipt. The baseline: raw `ws` sockets saying hello and
 * waiting for an ack, then one prebuilt frame of the same size broadcast for each event.
 */
function run(side: SocketSide) {
  return async (ctx: RunContext): Promise<RunOutcome> => {
    const { fixture, target } = ctx;
    const n = fixture.sizes.sockets;
    const crowd = new SocketCrowd();
    const notes: string[] = [];
    try {
      const before = await target.memory();
      const cpuBefore = await target.cpu();
      const started = performance.now();
      await within(
        PHASE_MS,
        pool(n, PARALLEL, (i) => side.connect(ctx, crowd, i)).then(() => side.subscribed(ctx)),
        `connect and subscribe ${n}`,
      ).catch((error: Error) =>
        notes.push(`${error.message} (${crowd.sockets.length} of ${n} connected)`, ...crowd.refusals),
      );
      const figures: Record<string, number> = {
        connectMs: crowd.sockets.length === n ? performance.now() - started : NaN,
        reconnects: crowd.reconnects,
      };
      figures.connectCpuMs = (await target.cpu()) - cpuBefore;
      const after = await target.memory();
      figures.kbPerSocket = ((after.rssMb - before.rssMb) * 1024) / n;
      if (process.env.BENCH_HEAP_SNAPSHOT) await target.request({ cmd: 'heap-snapshot', label: 'S2-connected' });
      if (notes.length) return { figures, notes };

      const push = async (id: string, name: string, send: () => Promise<void>): Promise<Delivery> => {
        const cpuSince = await target.cpu();
        const since = performance.now();
        const delivered = crowd.expect(id, since, PHASE_MS, target.died);
        await send().catch((error: Error) => notes.push(`${name}: ${error.message}`));
        const delivery = await delivered;
        // the server's CPU time from the event to the last receipt: what a machine busy with other work inflates least
        figures[`${name}CpuMs`] = (await target.cpu()) - cpuSince;
        if (delivery.note) notes.push(`${name}: ${delivery.note}, delivered ${delivery.delivered} of ${delivery.of}`);
        figures[`${name}Ms`] = delivery.ms;
        figures[`${name}Delivered`] = (100 * delivery.delivered) / delivery.of;
        return delivery;
      };
      await push('2', 'board', () => side.chooseTicket(ctx));
      // BENCH_HEAP_PROF: the heap profile of this run is the release's (see target.ts)
      if (process.env.BENCH_HEAP_PROF) await target.request({ cmd: 'heap-profile-restart' });
      await push('1', 'release', () => side.release(ctx));
      if (crowd.errors) notes.push(`${crowd.errors} pushes were errors`);
      return { figures, notes };
    } finally {
      crowd.close();
    }
  };
}

async function succeeded(ctx: RunContext, token: string, query: string, variables: Record<string, unknown>) {
  const reply = await graphql(ctx.target.url, token, query, variables);
  if (reply.errors) throw new Error(JSON.stringify(reply.errors).slice(0, 300));
}

const ours: SocketSide = {
  connect: (ctx, crowd, i) => {
    return crowd.student(ctx.target.wsUrl, ctx.fixture.students[i].token, [
      { id: '1', query: clientOperation('QuestionsReleased'), variables: { examId: ctx.fixture.releaseExamId } },
      { id: '2', query: clientOperation('TicketBoardChanged'), variables: { examId: ctx.fixture.boardExamId } },
    ]);
  },
  subscribed: async (ctx) => {
    while ((await ctx.target.request<number>({ cmd: 'subscribers' })) < 2 * ctx.fixture.sizes.sockets) await sleep(250);
  },
  chooseTicket: (ctx) => {
    const chooser = ctx.fixture.students[ctx.fixture.sizes.sockets];
    return succeeded(ctx, chooser.token, clientOperation('ChooseTicket'), {
      examId: ctx.fixture.boardExamId,
      ticketId: ctx.fixture.boardTicketId,
    });
  },
  release: (ctx) =>
    succeeded(ctx, ctx.fixture.staffToken, 'mutation($e: ID!) { releaseQuestions(examId: $e) { id } }', {
      e: ctx.fixture.releaseExamId,
    }),
};

const baseline: SocketSide = {
  connect: (ctx, crowd) => crowd.hello(ctx.target.wsUrl),
  subscribed: async () => undefined,
  chooseTicket: (ctx) => ctx.target.request({ cmd: 'broadcast', frame: ctx.fixture.boardFrame }),
  release: (ctx) => ctx.target.request({ cmd: 'broadcast', frame: ctx.fixture.releaseFrame }),
};

const timesBaseline = (limit: number) => ({
  text: `≤ ${limit}× baseline`,
  met: (_: number, ratio: number) => ratio <= limit,
});

export const s2s3Sockets: Scenario = {
  id: 'S2+S3',
  title:
    'every student of the crowd exam connects and subscribes (release + board), one ticket is chosen, the questions are released; ' +
    'baseline: raw ws hello/ack, then one prebuilt frame of the same size broadcast per event',
  timeoutMs: 3 * PHASE_MS + 30_000,
  baseline: { mode: 'bare', run: run(baseline) },
  ours: { mode: 'app', run: run(ours) },
  rows: [
    {
      label: 'S2 connect + subscribe, all sockets',
      figure: 'connectMs',
      unit: 'ms',
      lowerIsBetter: true,
      goal: { text: '≤ 3× baseline', met: (_, ratio) => ratio <= 3 },
    },
    { label: 'S2 reconnects after a late init (4408)', figure: 'reconnects', unit: '', lowerIsBetter: true },
    { label: 'S2 server CPU time', figure: 'connectCpuMs', unit: 'ms', lowerIsBetter: true },
    {
      label: 'S2 memory per socket (RSS)',
      figure: 'kbPerSocket',
      unit: 'KB',
      lowerIsBetter: true,
      goal: { text: '≤ 30 KB', met: (ours) => ours <= 30 },
    },
    {
      label: 'S3 board to every viewer, last receipt',
      figure: 'boardMs',
      unit: 'ms',
      lowerIsBetter: true,
      goal: timesBaseline(3),
    },
    { label: 'S3 board: server CPU time', figure: 'boardCpuMs', unit: 'ms', lowerIsBetter: true },
    {
      label: 'S3 board delivered',
      figure: 'boardDelivered',
      unit: '%',
      goal: { text: '100 %', met: (ours) => ours === 100 },
    },
    {
      label: 'S3 release to all, last receipt',
      figure: 'releaseMs',
      unit: 'ms',
      lowerIsBetter: true,
      goal: timesBaseline(3),
    },
    { label: 'S3 release: server CPU time', figure: 'releaseCpuMs', unit: 'ms', lowerIsBetter: true },
    {
      label: 'S3 release delivered',
      figure: 'releaseDelivered',
      unit: '%',
      goal: { text: '100 %', met: (ours) => ours === 100 },
    },
  ],
};
