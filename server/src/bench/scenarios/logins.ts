import { performance } from 'node:perf_hooks';
import { graphql, percentile, pool } from '../load';
import type { RunContext, RunOutcome, Scenario } from '../runner';

const PARALLEL = 50;
const LOGIN = 'mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }';

function figures(count: number, elapsedMs: number, latencies: number[]) {
  return { loginsPerSec: count / (elapsedMs / 1000), msPerLogin: elapsedMs / count, p99Ms: percentile(latencies, 99) };
}

/** ours: the login mutation over HTTP, 50 in flight at once */
async function ours(ctx: RunContext): Promise<RunOutcome> {
  const students = ctx.fixture.students.slice(0, ctx.fixture.sizes.logins);
  const latencies: number[] = [];
  const started = performance.now();
  await pool(students.length, PARALLEL, async (i) => {
    const start = performance.now();
    const reply = await graphql(ctx.target.url, null, LOGIN, { l: students[i].login, p: 'pw' });
    if (!reply.data?.login?.token) throw new Error(`login failed: ${JSON.stringify(reply.errors).slice(0, 200)}`);
    latencies.push(performance.now() - start);
  });
  return { figures: figures(students.length, performance.now() - started, latencies) };
}

/** the baseline: the same password checks (the fixture's scrypt hash), 50 at a time, in the process under test */
async function baseline(ctx: RunContext): Promise<RunOutcome> {
  const count = ctx.fixture.sizes.logins;
  const result = await ctx.target.request<{ elapsedMs: number; latencies: number[] }>({
    cmd: 'scrypt',
    hash: ctx.fixture.passwordHash,
    count,
    parallel: PARALLEL,
  });
  return { figures: figures(count, result.elapsedMs, result.latencies) };
}

export const logins: Scenario = {
  id: 'login',
  title:
    'the first students log in, 50 at a time; baseline: bare scrypt checks of the same password hash, 50 at a time',
  timeoutMs: 120_000,
  baseline: { mode: 'bare', run: baseline },
  ours: { mode: 'app', run: ours },
  rows: [
    { label: 'logins/s', figure: 'loginsPerSec', unit: '/s' },
    { label: 'time per login (elapsed / logins)', figure: 'msPerLogin', unit: 'ms', lowerIsBetter: true },
    { label: 'login latency p99', figure: 'p99Ms', unit: 'ms', lowerIsBetter: true },
  ],
};
