import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { buildFixture, removeFixture, sizesFromEnvironment } from './fixture';
import { printSummary, runScenario, type RowResult, type Scenario } from './runner';
import { s1ExamPage } from './scenarios/s1-exam-page';
import { s2s3Sockets } from './scenarios/s2-s3-sockets';
import { s4TicketRace } from './scenarios/s4-ticket-race';
import { s5Uploads } from './scenarios/s5-uploads';
import { logins } from './scenarios/logins';

/**
 * `npm run bench [-- S1 S3 login]`: issue 10's exam-day scenarios, each against its same-run baseline, interleaved in
 * BENCH_PAIRS pairs (default 3), on copies of one fixture of BENCH_STUDENTS students (default 5,001) built once.
 * The process under test is forked per run (bench/target.ts); the clients live in this process.
 */
const SCENARIOS: Scenario[] = [s1ExamPage, s2s3Sockets, s4TicketRace, s5Uploads, logins];

function chosen(args: string[]): Scenario[] {
  if (args.length === 0) return SCENARIOS;
  const wanted = args.map((a) => a.toLowerCase());
  const picked = SCENARIOS.filter((s) =>
    s.id
      .toLowerCase()
      .split('+')
      .some((part) => wanted.includes(part)),
  );
  if (picked.length === 0)
    throw new Error(`no scenario matches ${args.join(' ')}; choose from ${SCENARIOS.map((s) => s.id).join(', ')}`);
  return picked;
}

async function main() {
  const scenarios = chosen(process.argv.slice(2));
  const pairs = Number(process.env.BENCH_PAIRS ?? 3);
  const sizes = sizesFromEnvironment();
  const started = performance.now();
  console.log(
    `issue 10 benchmark: ${scenarios.map((s) => s.id).join(', ')}; ${pairs} interleaved pairs each; SQLite; sizes ${JSON.stringify(sizes)}`,
  );
  const fixture = await buildFixture(sizes);
  console.log(`fixture built in ${((performance.now() - started) / 1000).toFixed(0)} s (${fixture.dir})`);
  const results: RowResult[] = [];
  try {
    for (const scenario of scenarios) results.push(...(await runScenario(scenario, fixture, pairs)));
  } finally {
    removeFixture(fixture);
  }
  printSummary(results);
  console.log(
    `\n${results.filter((r) => r.pass === false).length} goal(s) missed; suite took ${((performance.now() - started) / 60_000).toFixed(1)} min`,
  );
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
