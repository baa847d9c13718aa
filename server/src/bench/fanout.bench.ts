import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { crowdedExam } from '../testing/crowd';
import { sleep, startTestServer } from '../testing/harness';

/**
 * `npm run bench:fanout`: a release of the questions to N students (BENCH_SUBSCRIBERS, default
 * 5,000) on one instance — time from the release to the last student's push, and the server's
 * peak memory — against the floor for the same sockets in the same run: a plain `ws` server
 * sending one prebuilt frame to N sockets. The clients live in a child process.
 */
const N = Number(process.env.BENCH_SUBSCRIBERS ?? 5000);
const RELEASED = 'subscription($e:ID!){ questionsReleased(examId:$e){ id questionsReleasedAt ticketNumber } }';

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

async function main() {
  // PUSH_CONCURRENCY as in production (startTestServer reads no environment), to compare settings
  const server = await startTestServer({ heartbeatMs: 600_000, ...(process.env.PUSH_CONCURRENCY ? { pushConcurrency: Number(process.env.PUSH_CONCURRENCY) } : {}) });
  const clients = new Clients();
  try {
    const crowd = await crowdedExam(server, N);
    await clients.ask({ cmd: 'subscribe', wsUrl: server.app.wsUrl, tokens: crowd.students.map((s) => s.token), query: RELEASED, variables: { e: crowd.examId } }, 'opened');
    for (;;) {
      const metric = await server.app.services.metrics.subscribers.get();
      if ((metric.values.find((v) => v.labels.exam === crowd.examId)?.value ?? 0) >= N) break;
      await sleep(200);
    }
    await sleep(1000);
    global.gc?.();

    // ours: the release (commit, then one push per student)
    let publishedAt = 0;
    const events = server.app.services.events;
    const publish = events.questionsReleased.bind(events);
    events.questionsReleased = (examId, changes) => {
      publishedAt = Date.now();
      publish(examId, changes);
    };
    await clients.ask({ cmd: 'arm' }, 'armed');
    const before = process.memoryUsage();
    const ours = await peakMemory(async () => {
      const start = Date.now();
      const finished = clients.done(300_000);
      await server.ok(crowd.staff, 'mutation($e:ID!){ releaseQuestions(examId:$e){ id } }', { e: crowd.examId });
      const done = await finished;
      return { start, ...done };
    });
    clients.close();
    await sleep(1000);

    // the floor: one prebuilt frame to the same number of sockets, from this process
    const floorServer = http.createServer();
    const wss = new WebSocketServer({ server: floorServer });
    await new Promise<void>((resolve) => floorServer.listen(0, '127.0.0.1', resolve));
    const floorClients = new Clients();
    await floorClients.ask({ cmd: 'connect', wsUrl: `ws://127.0.0.1:${(floorServer.address() as AddressInfo).port}`, count: N }, 'opened');
    await floorClients.ask({ cmd: 'arm' }, 'armed');
    global.gc?.();
    const floorBefore = process.memoryUsage();
    const frame = JSON.stringify({ id: '1', type: 'next', payload: { data: { questionsReleased: { id: crowd.students[0].id, questionsReleasedAt: new Date().toISOString(), ticketNumber: 1 } } } });
    const floor = await peakMemory(async () => {
      const start = Date.now();
      const finished = floorClients.done(60_000);
      for (const socket of wss.clients) socket.send(frame);
      return { start, ...(await finished) };
    });
    floorClients.close();
    wss.close();
    floorServer.close();

    const oursMs = ours.result.lastAt ? ours.result.lastAt - ours.result.start : NaN;
    const fanOutMs = ours.result.lastAt ? ours.result.lastAt - publishedAt : NaN;
    const floorMs = floor.result.lastAt ? floor.result.lastAt - floor.result.start : NaN;
    const { config } = server.app.services;
    console.log(`fan-out to ${N} subscribers of one exam, one instance, ${config.databaseUrl ? 'PostgreSQL' : 'SQLite'}${config.redisUrl ? ' + Redis' : ', in-process pub/sub'}, PUSH_CONCURRENCY ${config.pushConcurrency}`);
    console.log(`floor: ws broadcast of one prebuilt frame   ${String(floorMs).padStart(6)} ms   delivered ${floor.result.received}/${N}   peak RSS ${mb(floor.rss)} (+${mb(floor.rss - floorBefore.rss)}), heap +${mb(floor.heap - floorBefore.heapUsed)}`);
    console.log(`releaseQuestions, end to end                 ${String(oursMs).padStart(6)} ms   delivered ${ours.result.received}/${N}   peak RSS ${mb(ours.rss)} (+${mb(ours.rss - before.rss)}), heap +${mb(ours.heap - before.heapUsed)}   ×${(oursMs / floorMs).toFixed(1)} the floor`);
    console.log(`  of which the pushes (commit → last receipt) ${String(fanOutMs).padStart(5)} ms   ×${(fanOutMs / floorMs).toFixed(1)} the floor (goal ≤ ×3)`);
  } finally {
    await server.stop();
  }
}

main().then(() => process.exit(0), (error) => {
  console.error(error);
  process.exit(1);
});
