import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { TargetCommand, TargetMode, TargetReply, Usage } from './target';

/** The heap the process under test may take: bounded so a runaway fan-out ends as "server died", not as a machine out of memory. */
const HEAP_MB = Number(process.env.BENCH_SERVER_HEAP_MB ?? 3072);

/** The suite's handle on one forked process under test (bench/target.ts): requests over IPC, and its death noticed. */
export class Target {
  readonly url: string;
  readonly wsUrl: string;
  /** resolves with a sentence when the process ends without being asked to (e.g. heap exhausted) */
  readonly died: Promise<string>;
  private stopping = false;
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();

  private constructor(
    private readonly child: ChildProcess,
    ready: { url: string; wsUrl: string },
  ) {
    this.url = ready.url;
    this.wsUrl = ready.wsUrl;
    this.died = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        const why = `the server process ended (${signal ?? `exit code ${code}`}${code === 134 || signal === 'SIGABRT' ? ', heap exhausted' : ''})`;
        for (const { reject } of this.pending.values()) reject(new Error(why));
        this.pending.clear();
        if (!this.stopping) resolve(why);
      }),
    );
    child.on('message', (reply: TargetReply) => {
      const waiting = this.pending.get(reply.seq);
      if (!waiting) return;
      this.pending.delete(reply.seq);
      if (reply.ok) waiting.resolve(reply.value);
      else waiting.reject(new Error(`in the server process: ${reply.error}`));
    });
  }

  static start(setup: TargetMode): Promise<Target> {
    const child = fork(path.join(__dirname, 'target.js'), [JSON.stringify(setup)], {
      // BENCH_CPU_PROF=<dir>: each server process writes a CPU profile there when it stops (open it in Chrome's DevTools)
      execArgv: [
        '--expose-gc',
        `--max-old-space-size=${HEAP_MB}`,
        ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      ],
      env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the server process did not start (exit code ${code})`)));
      child.once('message', (ready: { url: string; wsUrl: string }) => resolve(new Target(child, ready)));
    });
  }

  request<T>(command: TargetCommand): Promise<T> {
    const seq = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.child.send({ seq, command });
    });
  }

  measureStart = () => this.request<null>({ cmd: 'measure-start' });
  measureEnd = () => this.request<Usage>({ cmd: 'measure-end' });
  memory = () => this.request<{ rssMb: number; heapMb: number }>({ cmd: 'memory' });
  /** CPU time (user + system) the process under test has spent so far, in ms */
  cpu = () => this.request<number>({ cmd: 'cpu' });

  /** asks the process to stop; kills it after 10 s (a stalled loop must not hold the suite) */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.stopping = true;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    this.request({ cmd: 'stop' }).catch(() => undefined);
    await exited;
    clearTimeout(timer);
  }
}
