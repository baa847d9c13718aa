import 'reflect-metadata';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import v8 from 'node:v8';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { createApp, type RunningApp } from '../app';
import { verifyPassword } from '../modules/auth/passwords';
import { benchConfig } from './fixture';
import { raceInSqlite } from './ticket-race';
import { pool, type Latencies } from './load';

/**
 * The process under test, forked by the suite so that its event loop serves only the scenario's clients (which live in
 * the suite's process). Either the real server (`app`: createApp on a copy of the fixture, production defaults) or the
 * same-run baseline (`bare`: node:http and `ws` doing the least the scenario needs, plus scrypt and better-sqlite3
 * work done in-process). Both report the event-loop delay (perf_hooks.monitorEventLoopDelay) and peak memory of this
 * process between `measure-start` and `measure-end`.
 */
export type TargetMode = { mode: 'app'; dataDir: string } | { mode: 'bare'; dataDir: string; body: string };

export type TargetCommand =
  | { cmd: 'measure-start' }
  | { cmd: 'measure-end' }
  /** BENCH_HEAP_PROF: the heap profile starts again here (S3 restarts it before the release, the push it is about) */
  | { cmd: 'heap-profile-restart' }
  | { cmd: 'memory' }
  | { cmd: 'cpu' }
  | { cmd: 'heap-snapshot'; label: string }
  | { cmd: 'subscribers' }
  | { cmd: 'broadcast'; frame: string }
  | { cmd: 'race'; dbFile: string; examId: string; tickets: string[]; students: string[] }
  | { cmd: 'scrypt'; hash: string; count: number; parallel: number }
  | { cmd: 'stop' };

export interface Usage {
  lagP99Ms: number;
  lagMaxMs: number;
  peakRssMb: number;
  startRssMb: number;
  /** CPU time (user + system) the process under test spent during the run: what a busy machine does not inflate */
  cpuMs: number;
}

export type TargetReply = { seq: number; ok: true; value: unknown } | { seq: number; ok: false; error: string };

const MB = 1024 * 1024;
const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();
let peakRss = 0;
let startRss = 0;
let startCpu = process.cpuUsage();
let startThreads: ThreadTimes | undefined;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);
sampler.unref();

/** a thread's CPU time and its time runnable but waiting for a core, in ms (Linux: /proc/self/task/<tid>/schedstat) */
type ThreadTimes = Map<string, { cpuMs: number; waitMs: number }>;

/** BENCH_THREADS=1: every thread of this process (undefined where /proc is not there) */
function threadTimes(): ThreadTimes | undefined {
  if (!process.env.BENCH_THREADS) return undefined;
  const times: ThreadTimes = new Map();
  try {
    for (const tid of fs.readdirSync('/proc/self/task')) {
      const [cpuNs, waitNs] = fs.readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ').map(Number);
      times.set(tid, { cpuMs: cpuNs / 1e6, waitMs: waitNs / 1e6 });
    }
  } catch {
    return undefined;
  }
  return times;
}

/**
 * The measured window's split between the event loop's thread and the others (V8's GC and compiler workers, libuv's
 * pool, the checkpoint worker), and how long the event loop's thread was ready but waited for a core: on a shared
 * 2-core machine that wait, not the server's own CPU, is what a rate mostly varies with.
 */
function threadsLine(before: ThreadTimes | undefined): string | undefined {
  const after = threadTimes();
  if (!before || !after) return undefined;
  const delta = (tid: string) => {
    const [a, b] = [after.get(tid)!, before.get(tid) ?? { cpuMs: 0, waitMs: 0 }];
    return { cpuMs: a.cpuMs - b.cpuMs, waitMs: a.waitMs - b.waitMs };
  };
  const main = delta(String(process.pid));
  const others = [...after.keys()]
    .filter((tid) => tid !== String(process.pid))
    .map(delta)
    .reduce((sum, t) => ({ cpuMs: sum.cpuMs + t.cpuMs, waitMs: sum.waitMs + t.waitMs }), { cpuMs: 0, waitMs: 0 });
  const ms = (n: number) => Math.round(n);
  return (
    `threads: event loop CPU ${ms(main.cpuMs)} ms, waiting for a core ${ms(main.waitMs)} ms; ` +
    `other threads CPU ${ms(others.cpuMs)} ms, waiting ${ms(others.waitMs)} ms`
  );
}

/** after a full collection when the process runs with --expose-gc, so that per-socket memory is what stays */
function settledMemory() {
  global.gc?.();
  const m = process.memoryUsage();
  return { rssMb: m.rss / MB, heapMb: m.heapUsed / MB };
}

/** the bare baseline: the same JSON bytes for every request, uploads streamed to disk, `ws` hello → ack */
async function startBare(dataDir: string, body: Buffer) {
  const uploads = path.join(dataDir, 'bare-uploads');
  fs.mkdirSync(uploads, { recursive: true });
  let uploaded = 0;
  const server = http.createServer((req, res) => {
    if (req.url?.startsWith('/upload')) {
      const file = path.join(uploads, String(++uploaded));
      req
        .pipe(fs.createWriteStream(file))
        .on('finish', () => res.writeHead(201, { 'content-type': 'application/json' }).end('{"ok":true}'));
      return;
    }
    req.resume();
    req.on('end', () =>
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body),
    );
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket: WebSocket) => socket.on('message', () => socket.send('{"type":"ack"}')));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    wsUrl: url.replace('http', 'ws'),
    broadcast: (frame: string) => {
      const bytes = Buffer.from(frame); // built once, as a server that prebuilds a push would
      for (const socket of wss.clients) socket.send(bytes, { binary: false });
    },
    stop: async () => {
      for (const socket of wss.clients) socket.terminate();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * BENCH_CPU_PROF=<dir>: besides the whole process's profile (written at exit, which a server still busy when the suite
 * stops it may never reach), the measured window alone, written at `measure-end`: `measured-<pid>.cpuprofile`.
 */
const measuredProfile = process.env.BENCH_CPU_PROF ? new Session() : undefined;
let profiling = false;
/** BENCH_HEAP_PROF=<dir>: a sampling heap profile (what was allocated, by function) of each run's measured window */
const heapProfile = process.env.BENCH_HEAP_PROF ? new Session() : undefined;
async function heapProfileStart() {
  if (!heapProfile) return;
  heapProfile.connect();
  await heapProfile.post('HeapProfiler.enable');
  // every allocation sampled, also those collected before the window ends: what the garbage collector had to handle
  await heapProfile.post('HeapProfiler.startSampling', {
    samplingInterval: 16384,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  } as never);
}
async function heapProfileEnd() {
  if (!heapProfile) return;
  const { profile } = await heapProfile.post('HeapProfiler.stopSampling');
  fs.mkdirSync(process.env.BENCH_HEAP_PROF!, { recursive: true });
  fs.writeFileSync(
    path.join(process.env.BENCH_HEAP_PROF!, `measured-${process.pid}.heapprofile`),
    JSON.stringify(profile),
  );
  heapProfile.disconnect();
}
async function profileStart() {
  await heapProfileStart();
  if (!measuredProfile) return;
  // a scenario may restart its window after a warm-up (S1): the profile restarts with it
  if (profiling) await measuredProfile.post('Profiler.stop');
  else measuredProfile.connect();
  profiling = true;
  await measuredProfile.post('Profiler.enable');
  await measuredProfile.post('Profiler.start');
}
async function profileEnd() {
  await heapProfileEnd();
  if (!measuredProfile || !profiling) return;
  profiling = false;
  const { profile } = await measuredProfile.post('Profiler.stop');
  fs.mkdirSync(process.env.BENCH_CPU_PROF!, { recursive: true });
  fs.writeFileSync(
    path.join(process.env.BENCH_CPU_PROF!, `measured-${process.pid}.cpuprofile`),
    JSON.stringify(profile),
  );
  measuredProfile.disconnect();
}

// the suite ended (or was stopped): nothing is left to serve
process.on('disconnect', () => process.exit(0));

async function main() {
  const setup = JSON.parse(process.argv[2]) as TargetMode;
  let app: RunningApp | undefined;
  let bare: Awaited<ReturnType<typeof startBare>> | undefined;
  if (setup.mode === 'app') app = await createApp(benchConfig(setup.dataDir));
  else bare = await startBare(setup.dataDir, Buffer.from(setup.body));

  const handle = async (command: TargetCommand): Promise<unknown> => {
    switch (command.cmd) {
      case 'measure-start':
        lag.reset();
        startRss = peakRss = process.memoryUsage.rss();
        startCpu = process.cpuUsage();
        startThreads = threadTimes();
        await profileStart();
        return null;
      case 'heap-profile-restart':
        if (heapProfile) {
          await heapProfile.post('HeapProfiler.stopSampling');
          heapProfile.disconnect();
          await heapProfileStart();
        }
        return null;
      case 'measure-end': {
        peakRss = Math.max(peakRss, process.memoryUsage.rss());
        const cpu = process.cpuUsage(startCpu);
        const usage: Usage = {
          lagP99Ms: lag.percentile(99) / 1e6,
          lagMaxMs: lag.max / 1e6,
          peakRssMb: peakRss / MB,
          startRssMb: startRss / MB,
          cpuMs: (cpu.user + cpu.system) / 1000,
        };
        const threads = threadsLine(startThreads);
        if (threads) process.stderr.write(`  (${setup.mode === 'app' ? 'ours' : 'baseline'} ${threads})\n`);
        await profileEnd();
        return usage;
      }
      case 'memory':
        return settledMemory();
      case 'cpu': {
        const cpu = process.cpuUsage();
        return (cpu.user + cpu.system) / 1000;
      }
      case 'heap-snapshot': {
        // BENCH_HEAP_SNAPSHOT=<dir>: what the process holds at that point (e.g. 5,000 sockets), for DevTools' Memory tab
        const dir = process.env.BENCH_HEAP_SNAPSHOT;
        if (!dir) return null;
        fs.mkdirSync(dir, { recursive: true });
        return v8.writeHeapSnapshot(path.join(dir, `${command.label}-${setup.mode}-${process.pid}.heapsnapshot`));
      }
      case 'subscribers': {
        const metric = await app!.services.metrics.subscribers.get();
        return metric.values.reduce((sum, v) => sum + v.value, 0);
      }
      case 'broadcast':
        bare!.broadcast(command.frame);
        return null;
      case 'race':
        return raceInSqlite(command.dbFile, command.examId, command.students, command.tickets);
      case 'scrypt': {
        const latencies: Latencies = [];
        const started = performance.now();
        await pool(command.count, command.parallel, async () => {
          const start = performance.now();
          if (!(await verifyPassword('pw', command.hash))) throw new Error('the fixture password does not verify');
          latencies.push(performance.now() - start);
        });
        return { elapsedMs: performance.now() - started, latencies };
      }
      case 'stop':
        await app?.stop();
        await bare?.stop();
        setImmediate(() => process.exit(0));
        return null;
    }
  };
  process.on('message', (message: { seq: number; command: TargetCommand }) => {
    handle(message.command).then(
      (value) => process.send!({ seq: message.seq, ok: true, value } satisfies TargetReply),
      (error: Error) =>
        process.send!({ seq: message.seq, ok: false, error: error.stack ?? String(error) } satisfies TargetReply),
    );
  });
  process.send!({ ready: true, url: app?.url ?? bare!.url, wsUrl: app?.wsUrl ?? bare!.wsUrl });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
