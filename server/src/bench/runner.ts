import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { copyFixture, type Fixture } from './fixture';
import { Target } from './target-client';

/**
 * The scenario runner: each scenario is a baseline and ours, run as interleaved pairs (baseline, ours, baseline, ours…)
 * on fresh copies of the fixture, each in a new process under test; the figures' medians and spreads, ours' ratio to
 * the same-run baseline, and the issue's goal with pass or miss. A run that overstays its time is cut and reported.
 */
type Figures = Record<string, number>;

export interface RunContext {
  fixture: Fixture;
  target: Target;
  dataDir: string;
  dbFile: string;
  /** performance.now() by which the run should wrap up and report what it has */
  deadline: number;
}

export interface RunOutcome {
  figures: Figures;
  notes?: string[];
}

interface Side {
  mode: 'app' | 'bare';
  run(ctx: RunContext): Promise<RunOutcome>;
}

interface Row {
  label: string;
  figure: string;
  unit: string;
  /** lower is better (times, memory, lag); rates are higher-better */
  lowerIsBetter?: boolean;
  /** compare with the baseline's median of this figure (default: the same figure); false: ours alone */
  baseline?: string | false;
  goal?: { text: string; met: (ours: number, ratio: number) => boolean };
}

export interface Scenario {
  id: string;
  title: string;
  /** a run's bound; the side is told it as its deadline and is cut 30 s after */
  timeoutMs: number;
  baseline: Side;
  ours: Side;
  rows: Row[];
}

export interface RowResult {
  scenario: string;
  row: Row;
  baseline?: Stats;
  ours: Stats;
  ratio: number;
  pass?: boolean;
}

interface Stats {
  median: number;
  min: number;
  max: number;
}

/** rows every scenario gets: the event loop and memory of the process under test */
const USAGE_ROWS: Row[] = [
  {
    label: 'event-loop lag p99 (server process)',
    figure: 'lagP99Ms',
    unit: 'ms',
    lowerIsBetter: true,
    goal: { text: '≤ 100 ms', met: (ours) => ours <= 100 },
  },
  { label: 'event-loop lag max', figure: 'lagMaxMs', unit: 'ms', lowerIsBetter: true },
  { label: 'peak RSS (server process)', figure: 'peakRssMb', unit: 'MB', lowerIsBetter: true },
  { label: 'RSS growth (peak − at the start)', figure: 'rssGrowthMb', unit: 'MB', lowerIsBetter: true },
  { label: 'CPU time of the server process', figure: 'cpuMs', unit: 'ms', lowerIsBetter: true },
];

const GRACE_MS = 30_000;

/** incomplete figures (NaN) count as the worst value, so a timed-out run never improves a median */
function stats(values: number[], lowerIsBetter: boolean): Stats {
  const worst = lowerIsBetter ? Infinity : 0;
  const sorted = values.map((v) => (Number.isNaN(v) ? worst : v)).sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(middle)] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

function formatNumber(value: number): string {
  if (value === Infinity) return '∞';
  if (Number.isNaN(value)) return '—';
  const abs = Math.abs(value);
  const digits = abs >= 1000 || Number.isInteger(value) ? 0 : abs >= 100 ? 1 : abs >= 1 ? 2 : 3;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

const spread = (s: Stats) => `${formatNumber(s.median)} (${formatNumber(s.min)}–${formatNumber(s.max)})`;

function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return '—';
  return `${ratio >= 10 ? ratio.toFixed(0) : ratio >= 0.1 ? ratio.toFixed(2) : ratio.toPrecision(2)}×`;
}

async function runOnce(scenario: Scenario, side: Side, fixture: Fixture): Promise<RunOutcome> {
  const copy = copyFixture(fixture);
  let target: Target | undefined;
  try {
    target = await Target.start(
      side.mode === 'app'
        ? { mode: 'app', dataDir: copy.dataDir }
        : { mode: 'bare', dataDir: copy.dataDir, body: fixture.pageBody },
    );
    const started = target;
    await started.measureStart();
    const ctx: RunContext = {
      fixture,
      target,
      dataDir: copy.dataDir,
      dbFile: path.join(copy.dataDir, 'attestation.sqlite'),
      deadline: performance.now() + scenario.timeoutMs,
    };
    let cut: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      side
        .run(ctx)
        .catch((error: Error): RunOutcome => ({ figures: {}, notes: [`failed: ${error.message.split('\n')[0]}`] })),
      new Promise<RunOutcome>(
        (resolve) =>
          (cut = setTimeout(
            () => resolve({ figures: {}, notes: [`cut after ${(scenario.timeoutMs + GRACE_MS) / 1000} s`] }),
            scenario.timeoutMs + GRACE_MS,
          )),
      ),
      started.died.then((why): RunOutcome => ({ figures: {}, notes: [why] })),
    ]);
    clearTimeout(cut);
    const usage = await Promise.race([
      started.measureEnd(),
      started.died.then(() => undefined),
      new Promise<undefined>((r) => setTimeout(() => r(undefined), 20_000).unref()),
    ]).catch(() => undefined);
    const died = await Promise.race([started.died, Promise.resolve(undefined)]);
    return {
      figures: {
        ...outcome.figures,
        ...(usage
          ? {
              lagP99Ms: usage.lagP99Ms,
              lagMaxMs: usage.lagMaxMs,
              peakRssMb: usage.peakRssMb,
              rssGrowthMb: usage.peakRssMb - usage.startRssMb,
              cpuMs: usage.cpuMs,
              // per unit of the scenario's work (S1 a request, S4 an attempt, S5 a student), when it counts them
              ...(outcome.figures.units ? { cpuMsPerUnit: usage.cpuMs / outcome.figures.units } : {}),
            }
          : {}),
      },
      notes: [...(outcome.notes ?? []), ...(died && !outcome.notes?.includes(died) ? [died] : [])],
    };
  } finally {
    await target?.stop();
    copy.remove();
  }
}

function describe(outcome: RunOutcome): string {
  const figures = Object.entries(outcome.figures)
    .map(([k, v]) => `${k} ${formatNumber(v)}`)
    .join(', ');
  return [figures, ...(outcome.notes ?? [])].filter(Boolean).join('; ');
}

/** runs one scenario's pairs and prints them as they finish, then its rows; returns the rows for the summary */
export async function runScenario(scenario: Scenario, fixture: Fixture, pairs: number): Promise<RowResult[]> {
  console.log(`\n${scenario.id} — ${scenario.title}`);
  const runs: Record<'baseline' | 'ours', RunOutcome[]> = { baseline: [], ours: [] };
  for (let pair = 1; pair <= pairs; pair++) {
    for (const which of ['baseline', 'ours'] as const) {
      const started = performance.now();
      const outcome = await runOnce(scenario, scenario[which], fixture).catch((error: Error): RunOutcome => ({
        figures: {},
        notes: [`failed: ${error.message.split('\n')[0]}`],
      }));
      runs[which].push(outcome);
      console.log(
        `  pair ${pair} ${which.padEnd(8)} (${((performance.now() - started) / 1000).toFixed(0)} s): ${describe(outcome)}`,
      );
    }
  }
  const results = [...scenario.rows, ...USAGE_ROWS].map((row): RowResult => {
    const lower = row.lowerIsBetter ?? false;
    const ours = stats(
      runs.ours.map((r) => r.figures[row.figure] ?? NaN),
      lower,
    );
    const baselineFigure = row.baseline === false ? undefined : (row.baseline ?? row.figure);
    const baseline = baselineFigure
      ? stats(
          runs.baseline.map((r) => r.figures[baselineFigure] ?? NaN),
          lower,
        )
      : undefined;
    const ratio = baseline ? ours.median / baseline.median : NaN;
    return {
      scenario: scenario.id,
      row,
      baseline,
      ours,
      ratio,
      pass: row.goal ? row.goal.met(ours.median, ratio) : undefined,
    };
  });
  for (const r of results) {
    console.log(
      `  ${r.row.label.padEnd(44)} baseline ${(r.baseline ? spread(r.baseline) : '—').padEnd(24)} ours ${spread(r.ours).padEnd(24)} ${r.row.unit.padEnd(6)}` +
        ` ${formatRatio(r.ratio).padStart(7)}  ${r.row.goal ? `goal ${r.row.goal.text}: ${r.pass ? 'pass' : 'MISS'}` : ''}`,
    );
  }
  return results;
}

/** the closing table, in Markdown so that it can go into the README as it is */
export function printSummary(results: RowResult[]): void {
  console.log('\n| scenario | figure | baseline, median (min–max) | ours, median (min–max) | ratio | goal | result |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of results) {
    if (!r.row.goal && r.row.figure === 'lagMaxMs') continue;
    console.log(
      `| ${r.scenario} | ${r.row.label} (${r.row.unit}) | ${r.baseline ? spread(r.baseline) : '—'} | ${spread(r.ours)} | ${formatRatio(r.ratio)} | ${r.row.goal?.text ?? ''} | ${r.row.goal ? (r.pass ? 'pass' : '**miss**') : ''} |`,
    );
  }
}
