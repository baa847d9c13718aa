import { performance } from 'node:perf_hooks';
import { clientOperation } from '../../testing/client-operations';
import { graphql } from '../load';
import type { RunContext, RunOutcome, Scenario } from '../runner';

/** the part of autocannon@9's programmatic API used here */
interface AutocannonResult {
  requests: { total: number };
  duration: number;
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

const SECONDS = Number(process.env.BENCH_S1_SECONDS ?? 8);

/**
 * S1: the page's students (100) loop the exam page's own query for a fixed time, each request as the next student in
 * turn; autocannon in the suite's process, one keep-alive connection per student. The baseline answers the same
 * bytes (captured from ours when the fixture was built) from bare node:http.
 */
async function loop(ctx: RunContext): Promise<RunOutcome> {
  const { fixture } = ctx;
  const tokens = fixture.students.slice(0, fixture.sizes.pageStudents).map((s) => s.token);
  const body = JSON.stringify({ query: clientOperation('StudentExam'), variables: { id: fixture.pageExamId } });
  const reply = await graphql(ctx.target.url, tokens[0], clientOperation('StudentExam'), { id: fixture.pageExamId });
  if (reply.errors || !reply.data?.exam?.mySitting)
    throw new Error(`the exam page did not load: ${JSON.stringify(reply).slice(0, 300)}`);
  let next = 0;
  const run = (connections: number, seconds: number) =>
    autocannon({
      url: `${ctx.target.url}/graphql`,
      connections,
      duration: seconds,
      timeout: Math.max(10, Math.ceil((ctx.deadline - performance.now()) / 1000)),
      requests: [
        {
          method: 'POST',
          body,
          setupRequest: (request: { headers?: Record<string, string> }) => ({
            ...request,
            headers: {
              ...request.headers,
              'content-type': 'application/json',
              authorization: `Bearer ${tokens[next++ % tokens.length]}`,
            },
          }),
        },
      ],
    });
  await run(10, 1); // warm-up, outside the figures
  await ctx.target.measureStart();
  const result = await run(tokens.length, SECONDS);
  return {
    figures: {
      reqPerSec: result.requests.total / result.duration,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      failed: result.errors + result.timeouts + result.non2xx,
      units: result.requests.total,
    },
  };
}

export const s1ExamPage: Scenario = {
  id: 'S1',
  title: `the page's students loop the exam page's query StudentExam for ${SECONDS} s; baseline: bare node:http answering the same JSON bytes`,
  timeoutMs: (SECONDS + 60) * 1000,
  baseline: { mode: 'bare', run: loop },
  ours: { mode: 'app', run: loop },
  rows: [
    {
      label: 'StudentExam requests/s',
      figure: 'reqPerSec',
      unit: 'req/s',
      goal: { text: '≥ 0.10× baseline', met: (_, ratio) => ratio >= 0.1 },
    },
    { label: 'latency p50', figure: 'p50Ms', unit: 'ms', lowerIsBetter: true },
    { label: 'latency p99', figure: 'p99Ms', unit: 'ms', lowerIsBetter: true },
    {
      label: 'failed requests',
      figure: 'failed',
      unit: '',
      lowerIsBetter: true,
      goal: { text: '0', met: (ours) => ours === 0 },
    },
    { label: 'server CPU a request', figure: 'cpuMsPerUnit', unit: 'ms', lowerIsBetter: true },
  ],
};
