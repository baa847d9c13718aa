import { performance } from 'node:perf_hooks';
import { withSqlite } from './sqlite';

/**
 * S4's race, one algorithm for both sides: every student at once picks a random ticket it does not yet know to be
 * taken (the board shows the others' choices) and tries it; a refusal teaches it that ticket is gone; it stops once it
 * holds one or sees none free. Ours tries through chooseTicket, the baseline with a conditional UPDATE.
 */
export type Attempt = 'held' | 'taken' | 'none-left';

export interface RaceResult {
  attempts: number;
  elapsedMs: number;
  latencies: number[];
  held: number;
  /** attempts refused for another reason than a taken ticket (first few, for the report) */
  failures: string[];
  /** students who never finished before the deadline */
  unfinished: number;
}

export async function race(
  students: string[],
  tickets: string[],
  deadline: number,
  attempt: (student: string, ticket: string) => Promise<Attempt>,
): Promise<RaceResult> {
  const known = new Set<string>();
  const result: RaceResult = { attempts: 0, elapsedMs: 0, latencies: [], held: 0, failures: [], unfinished: 0 };
  const started = performance.now();
  await Promise.all(
    students.map(async (student) => {
      for (;;) {
        if (known.size >= tickets.length) return;
        if (performance.now() > deadline) {
          result.unfinished++;
          return;
        }
        let ticket: string;
        do ticket = tickets[Math.floor(Math.random() * tickets.length)];
        while (known.has(ticket));
        const start = performance.now();
        let outcome: Attempt;
        try {
          outcome = await attempt(student, ticket);
        } catch (error) {
          if (result.failures.length < 3) result.failures.push(String((error as Error).message ?? error).slice(0, 200));
          result.attempts++;
          return;
        }
        result.latencies.push(performance.now() - start);
        result.attempts++;
        if (outcome === 'none-left') return;
        known.add(ticket);
        if (outcome === 'held') {
          result.held++;
          return;
        }
      }
    }),
  );
  result.elapsedMs = performance.now() - started;
  return result;
}

/** the baseline: the same race as conditional UPDATEs on the fixture's copy, in this process, with better-sqlite3 */
export async function raceInSqlite(
  dbFile: string,
  examId: string,
  students: string[],
  tickets: string[],
): Promise<RaceResult> {
  return withSqlite(dbFile, (db) => {
    const take =
      db.prepare(`update sittings set ticket_id = ?, ticket_chosen_at = ? where exam_id = ? and student_id = ? and ticket_id is null
      and not exists (select 1 from sittings where ticket_id = ?)`);
    return race(students, tickets, Infinity, async (student, ticket) =>
      take.run(ticket, Date.now(), examId, student, ticket).changes === 1 ? 'held' : 'taken',
    );
  });
}

/** read back after a race: how many students of the exam hold a ticket, and how many tickets have more than one holder */
export function bookings(dbFile: string, examId: string): Promise<{ held: number; doubleBooked: number }> {
  return withSqlite(dbFile, (db) => {
    const held = db
      .prepare('select count(*) as n from sittings where exam_id = ? and ticket_id is not null')
      .get(examId).n as number;
    const doubleBooked = db
      .prepare(
        `select count(*) as n from (select ticket_id from sittings where exam_id = ? and ticket_id is not null
      group by ticket_id having count(*) > 1)`,
      )
      .get(examId).n as number;
    return { held, doubleBooked };
  });
}
