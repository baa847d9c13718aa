import { clientOperation } from '../../testing/client-operations';
import { graphql, percentile, pool } from '../load';
import { bookings, race, type Attempt, type RaceResult } from '../ticket-race';
import type { RunContext, RunOutcome, Scenario } from '../runner';

const TIMEOUT_MS = Number(process.env.BENCH_RACE_TIMEOUT_S ?? 120) * 1000;

/** the figures of one race, and the bookings read back from the database afterwards */
async function outcome(ctx: RunContext, result: RaceResult): Promise<RunOutcome> {
  const booked = await bookings(ctx.dbFile, ctx.fixture.raceExamId);
  const expected = Math.min(ctx.fixture.sizes.racers, ctx.fixture.raceTicketIds.length);
  const notes = [...result.failures.map((f) => `refused: ${f}`)];
  if (result.unfinished) notes.push(`timed out: ${result.unfinished} students still racing`);
  if (booked.held !== expected) notes.push(`${booked.held} tickets held, expected ${expected}`);
  return {
    figures: {
      attemptsPerSec: result.attempts / (result.elapsedMs / 1000),
      p99Ms: percentile(result.latencies, 99),
      attempts: result.attempts,
      held: booked.held,
      doubleBooked: booked.doubleBooked,
      units: result.attempts,
    },
    notes,
  };
}

const racers = (ctx: RunContext) => ctx.fixture.students.slice(0, ctx.fixture.sizes.racers);

/**
 * Before the race, as S1 warms up, the server serves WARM_UP_ATTEMPTS refused attempts at another exam (the page's
 * students, who hold their tickets: TICKET_ALREADY_CHOSEN), so the race meets a server that has run its code before —
 * as on exam day, when the pages have loaded first — not one compiling it; the race exam is left untouched.
 */
const WARM_UP_ATTEMPTS = 1_000;

async function warmUp(ctx: RunContext): Promise<void> {
  const students = ctx.fixture.students.slice(0, ctx.fixture.sizes.pageStudents);
  const query = clientOperation('ChooseTicket');
  await pool(WARM_UP_ATTEMPTS, students.length, async (i) => {
    const reply = await graphql(ctx.target.url, students[i % students.length].token, query, {
      examId: ctx.fixture.pageExamId,
      ticketId: ctx.fixture.raceTicketIds[0],
    });
    const code = reply.errors?.[0]?.extensions?.code;
    if (code !== 'TICKET_ALREADY_CHOSEN') throw new Error(`warm-up: expected TICKET_ALREADY_CHOSEN, got ${code}`);
  });
}

/** S4: ours, every racer at once through chooseTicket (the exam page's own mutation) */
async function ours(ctx: RunContext): Promise<RunOutcome> {
  await warmUp(ctx);
  await ctx.target.measureStart();
  const tokens = new Map(racers(ctx).map((s) => [s.id, s.token]));
  const result = await race(
    [...tokens.keys()],
    ctx.fixture.raceTicketIds,
    ctx.deadline,
    async (student, ticket): Promise<Attempt> => {
      const reply = await graphql(ctx.target.url, tokens.get(student)!, clientOperation('ChooseTicket'), {
        examId: ctx.fixture.raceExamId,
        ticketId: ticket,
      });
      const code = reply.errors?.[0]?.extensions?.code;
      if (!reply.errors) return 'held';
      if (code === 'TICKET_TAKEN') return 'taken';
      if (code === 'NO_FREE_TICKETS') return 'none-left';
      throw new Error(`${code}: ${reply.errors[0].message}`);
    },
  );
  return outcome(ctx, result);
}

/** the baseline: the same race as conditional UPDATEs with better-sqlite3, inside the process under test */
async function baseline(ctx: RunContext): Promise<RunOutcome> {
  const result = await ctx.target.request<RaceResult>({
    cmd: 'race',
    dbFile: ctx.dbFile,
    examId: ctx.fixture.raceExamId,
    tickets: ctx.fixture.raceTicketIds,
    students: racers(ctx).map((s) => s.id),
  });
  return outcome(ctx, result);
}

export const s4TicketRace: Scenario = {
  id: 'S4',
  title:
    "the race exam's students all at once race for its tickets via chooseTicket (each tries a ticket it has not seen taken until it holds one); " +
    'baseline: the same race as conditional UPDATEs with better-sqlite3 directly',
  timeoutMs: TIMEOUT_MS,
  baseline: { mode: 'bare', run: baseline },
  ours: { mode: 'app', run: ours },
  rows: [
    {
      label: 'ticket attempts/s',
      figure: 'attemptsPerSec',
      unit: '/s',
      goal: { text: '≥ 1,000/s', met: (o) => o >= 1000 },
    },
    {
      label: 'attempt latency p99',
      figure: 'p99Ms',
      unit: 'ms',
      lowerIsBetter: true,
      goal: { text: '≤ 2,000 ms', met: (o) => o <= 2000 },
    },
    { label: 'attempts', figure: 'attempts', unit: '', lowerIsBetter: true },
    { label: 'tickets held afterwards (database)', figure: 'held', unit: '' },
    {
      label: 'double bookings (database)',
      figure: 'doubleBooked',
      unit: '',
      lowerIsBetter: true,
      goal: { text: '0', met: (o) => o === 0 },
    },
    { label: 'server CPU an attempt', figure: 'cpuMsPerUnit', unit: 'ms', lowerIsBetter: true },
  ],
};
