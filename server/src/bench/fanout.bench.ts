import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { boardExam, crowdedExam } from '../testing/crowd';
import { sleep, startTestServer, type TestServer } from '../testing/harness';

/**
 * `npm run bench:fanout`: N students (BENCH_SUBSCRIBERS, default 5,000) on one instance, each
 * scenario against its floor in the same run: S2 connecting and subscribing (time, memory a
 * socket) against plain `ws` sockets saying hello; S3 a release of the questions and a ticket
 * chosen (time to the last receipt, peak memory, event-loop lag) against a plain `ws` server
 * sending one prebuilt frame to N sockets. The clients live in a child process.
 */
const N = Number(process.env.BENCH_SUBSCRIBERS ?? 5000);
const RELEASED = 'subscription($e:ID!){ questionsReleased(examId:$e){ id questionsReleasedAt ticketNumber } }';
const BOARD = 'subscription($e:ID!){ ticketBoardChanged(examId:$e){ id taken } }';
/** tickets on the board scenario's exam (BENCH_BOARD_TICKETS) */
const BOARD_TICKETS = Number(process.env.BENCH_BOARD_TICKETS ?? 300);
let s2Floor = { ms: NaN, bytes: NaN };

class Clients {
  private readonly child: ChildProcess = fork(path.join(__dirname, 'fanout-clients.js'), { stdio: 'inherit' });

  ask<T = any>(message: object, answer: string, timeoutMs = 600_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${answer}" from the clients within ${timeoutMs} ms`)), timeoutMs);
      const listener = (reply: any) => {
        if (reply.ev !== answer) return;
        clearTimeout(timer);
        this.child.off('message', listener);
        resolve(reply);
      };
      this.child.on('message', listener);
      this.child.send(message);
    });
  }

  /** resolves with the last receipt's time, or the count so far after `timeoutMs` */
  done(timeoutMs: number): Promise<{ lastAt?: number; received: number }> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.child.kill('SIGUSR2');
        this.child.once('message', (reply: any) => resolve({ received: reply.received }));
      }, timeoutMs);
      this.child.once('message', (reply: any) => {
        if (reply.ev !== 'done') return;
        clearTimeout(timer);
        resolve(reply);
      });
    });
  }

  close() {
    this.child.send({ cmd: 'close' });
  }
}

/** the highest RSS and heap seen while `work` runs (sampled every 5 ms, and at the end) */
async function peakMemory<T>(work: () => Promise<T>): Promise<{ result: T; rss: number; heap: number }> {
  let rss = 0;
  let heap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  };
  const timer = setInterval(sample, 5);
  try {
    const result = await work();
    sample();
    return { result, rss, heap };
  } finally {
    clearInterval(timer);
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** event-loop delay while `work` runs: p99 in ms */
async function lagOf<T>(work: () => Promise<T>): Promise<{ result: T; p99: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  try {
    const result = await work();
    return { result, p99: histogram.percentile(99) / 1e6 };
  } finally {
    histogram.disable();
  }
}

/** heap and RSS after a full collection */
function settled() {
  global.gc?.();
  global.gc?.();
  return process.memoryUsage();
}

/** a plain `ws` server in this process; `hello` answers graphql-transport-ws's connection_init with connection_ack */
async function floorServer(hello: boolean) {
  const server = http.createServer();
  const wss = new WebSocketServer({ server });
  if (hello) {
    wss.on('connection', (socket) => socket.on('message', (raw) => {
      if (JSON.parse(raw.toString()).type === 'connection_init') socket.send('{"type":"connection_ack"}');
    }));
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    wss,
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close() {
      wss.close();
      server.close();
    },
  };
}

/** the floor of a broadcast: one prebuilt frame to N plain sockets, from this process */
async function floorBroadcast(frame: string) {
  const floor = await floorServer(false);
  const clients = new Clients();
  await clients.ask({ cmd: 'connect', wsUrl: floor.url, count: N }, 'opened');
  await clients.ask({ cmd: 'arm' }, 'armed');
  const before = settled();
  const measured = await lagOf(() => peakMemory(async () => {
    const start = Date.now();
    const finished = clients.done(60_000);
    for (const socket of floor.wss.clients) socket.send(frame);
    return { start, ...(await finished) };
  }));
  clients.close();
  floor.close();
  await sleep(500);
  return { ms: measured.result.result.lastAt ? measured.result.result.lastAt - measured.result.result.start : NaN, received: measured.result.result.received, lag: measured.p99, rss: measured.result.rss, before };
}

/** waits until `count` subscriptions of `examId` are live (the subscribers metric) */
async function subscribed(server: TestServer, examId: string, count: number) {
  for (;;) {
    const metric = await server.app.services.metrics.subscribers.get();
    if ((metric.values.find((v) => v.labels.exam === examId)?.value ?? 0) >= count) return;
    await sleep(20);
  }
}

async function main() {
  // PUSH_CONCURRENCY as in production (startTestServer reads no environment), to compare settings
  const server = await startTestServer({ heartbeatMs: 600_000, ...(process.env.PUSH_CONCURRENCY ? { pushConcurrency: Number(process.env.PUSH_CONCURRENCY) } : {}) });
  const rows: string[] = [];
  const row = (line: string) => {
    rows.push(line);
    console.log(line);
  };
  try {
    const crowd = await crowdedExam(server, N);
    const board = await boardExam(server, crowd, BOARD_TICKETS);
    const tokens = crowd.students.map((s) => s.token);
    const { config } = server.app.services;
    row(`fan-out to ${N} subscribers of one exam, one instance, ${config.databaseUrl ? 'PostgreSQL' : 'SQLite'}${config.redisUrl ? ' + Redis' : ', in-process pub/sub'}, PUSH_CONCURRENCY ${config.pushConcurrency}`);

    // S2, the floor: N raw ws sockets saying hello (connection_init → connection_ack), opened the same way
    {
      const floor = await floorServer(true);
      const clients = new Clients();
      const before = settled();
      const start = Date.now();
      const measured = await lagOf(() => clients.ask({ cmd: 'subscribe', wsUrl: floor.url, tokens, query: RELEASED, variables: { e: crowd.examId } }, 'opened'));
      const ms = Date.now() - start;
      const after = settled();
      row(`S2 floor: ws hello/ack                       ${String(ms).padStart(6)} ms   ${kb((after.heapUsed - before.heapUsed) / N)} heap + ${kb((after.rss - before.rss) / N)} RSS a socket   lag p99 ${measured.p99.toFixed(0)} ms`);
      s2Floor = { ms, bytes: after.heapUsed - before.heapUsed };
      clients.close();
      floor.close();
      await sleep(1000);
    }

    // S2, ours: N graphql-ws sockets each subscribing to questionsReleased (the student page's subscription)
    const clients = new Clients();
    {
      const before = settled();
      const start = Date.now();
      const measured = await lagOf(async () => {
        await clients.ask({ cmd: 'subscribe', wsUrl: server.app.wsUrl, tokens, query: RELEASED, variables: { e: crowd.examId } }, 'opened');
        await subscribed(server, crowd.examId, N);
      });
      const ms = Date.now() - start;
      await sleep(1000);
      const after = settled();
      const bytes = after.heapUsed - before.heapUsed;
      row(`S2 graphql-ws connect + subscribe            ${String(ms).padStart(6)} ms   ${kb(bytes / N)} heap + ${kb((after.rss - before.rss) / N)} RSS a socket   lag p99 ${measured.p99.toFixed(0)} ms   ×${(ms / s2Floor.ms).toFixed(1)} the floor's time (goal ≤ ×3), ${kb(bytes / N)} a socket (goal ≤ 30 KB)`);
    }

    // S3 release, ours: the release (commit, then one push per student)
    let publishedAt = 0;
    const events = server.app.services.events;
    const publish = events.questionsReleased.bind(events);
    events.questionsReleased = (examId, changes) => {
      publishedAt = Date.now();
      publish(examId, changes);
    };
    await clients.ask({ cmd: 'arm' }, 'armed');
    const before = settled();
    const ours = await lagOf(() => peakMemory(async () => {
      const start = Date.now();
      const finished = clients.done(300_000);
      await server.ok(crowd.staff, 'mutation($e:ID!){ releaseQuestions(examId:$e){ id } }', { e: crowd.examId });
      const done = await finished;
      return { start, ...done };
    }));
    clients.close();
    await sleep(1000);

    const frame = JSON.stringify({ id: '1', type: 'next', payload: { data: { questionsReleased: { id: crowd.students[0].id, questionsReleasedAt: new Date().toISOString(), ticketNumber: 1 } } } });
    const floor = await floorBroadcast(frame);
    const oursMs = ours.result.result.lastAt ? ours.result.result.lastAt - ours.result.result.start : NaN;
    const fanOutMs = ours.result.result.lastAt ? ours.result.result.lastAt - publishedAt : NaN;
    row(`S3 floor: ws broadcast of one prebuilt frame ${String(floor.ms).padStart(6)} ms   delivered ${floor.received}/${N}   peak RSS ${mb(floor.rss)} (+${mb(floor.rss - floor.before.rss)})   lag p99 ${floor.lag.toFixed(0)} ms`);
    row(`S3 releaseQuestions, end to end              ${String(oursMs).padStart(6)} ms   delivered ${ours.result.result.received}/${N}   peak RSS ${mb(ours.result.rss)} (+${mb(ours.result.rss - before.rss)}), heap +${mb(ours.result.heap - before.heapUsed)}   lag p99 ${ours.p99.toFixed(0)} ms   ×${(oursMs / floor.ms).toFixed(1)} the floor`);
    row(`  of which the pushes (commit → last receipt) ${String(fanOutMs).padStart(5)} ms   ×${(fanOutMs / floor.ms).toFixed(1)} the floor (goal ≤ ×3)`);

    // S3 board: N students on the board of an exam with BOARD_TICKETS free tickets; one chooses, the N - 1 others get the board
    const boardClients = new Clients();
    await boardClients.ask({ cmd: 'subscribe', wsUrl: server.app.wsUrl, tokens, query: BOARD, variables: { e: board.examId } }, 'opened');
    await subscribed(server, board.examId, N);
    await sleep(1000);
    await boardClients.ask({ cmd: 'arm', expect: N - 1 }, 'armed');
    const boardBefore = settled();
    const boardRun = await lagOf(() => peakMemory(async () => {
      const start = Date.now();
      const finished = boardClients.done(300_000);
      await server.ok(tokens[0], 'mutation($e:ID!,$t:ID!){ chooseTicket(examId:$e, ticketId:$t){ id } }', { e: board.examId, t: board.ticketIds[0] });
      return { start, ...(await finished) };
    }));
    boardClients.close();
    await sleep(1000);
    const boardFrame = JSON.stringify({ id: '1', type: 'next', payload: { data: { ticketBoardChanged: board.ticketIds.map((id, i) => ({ id, taken: i === 0 })) } } });
    const boardFloor = await floorBroadcast(boardFrame);
    const boardMs = boardRun.result.result.lastAt ? boardRun.result.result.lastAt - boardRun.result.result.start : NaN;
    row(`S3 floor: ws broadcast of one board frame    ${String(boardFloor.ms).padStart(6)} ms   delivered ${boardFloor.received}/${N}   (${BOARD_TICKETS} tiles, ${kb(boardFrame.length)})   lag p99 ${boardFloor.lag.toFixed(0)} ms`);
    row(`S3 chooseTicket → board to every viewer      ${String(boardMs).padStart(6)} ms   delivered ${boardRun.result.result.received}/${N - 1}   peak RSS ${mb(boardRun.result.rss)} (+${mb(boardRun.result.rss - boardBefore.rss)}), heap +${mb(boardRun.result.heap - boardBefore.heapUsed)}   lag p99 ${boardRun.p99.toFixed(0)} ms   ×${(boardMs / boardFloor.ms).toFixed(1)} the floor (goal ≤ ×3)`);
  } finally {
    await server.stop();
  }
}

main().then(() => process.exit(0), (error) => {
  console.error(error);
  process.exit(1);
});
