import 'reflect-metadata';
import { createExam, seedUniversity, startTestServer, uploadFiles } from '../testing/harness';

/**
 * `npm run bench:logins`: file downloads while a script floods the login with wrong passwords.
 * scrypt runs on libuv's 4 threads, which file reads share; the download's p95 under the flood is
 * printed as a ratio to its quiet p95, with scrypt unbounded (as before PASSWORD_HASH_CONCURRENCY)
 * and bounded (the default), in the same run.
 */
const DOWNLOADS = Number(process.env.BENCH_DOWNLOADS ?? 20);
const FLOOD = Number(process.env.BENCH_FLOOD ?? 16); // logins kept in flight at once
const FILE_BYTES = 1024 * 1024;

const p95 = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(values.length * 0.95) - 1)];

async function measure(passwordHashConcurrency: number): Promise<{ quiet: number; flood: number; logins: number }> {
  const server = await startTestServer({ passwordHashConcurrency, passwordHashQueue: 100_000, loginSlowdownMs: 0 });
  try {
    const u = await seedUniversity(server, 1);
    const staff = await server.login('staff');
    const examId = await createExam(server, staff, u, {
      format: 'TASK',
      ticketAssignment: null,
      taskText: 'Read the file.',
    });
    const up = await uploadFiles(server, staff, `/files/exams/${examId}/task`, [
      { name: 'big.bin', content: Buffer.alloc(FILE_BYTES, 1) },
    ]);
    const path = String(up.body.files[0].url).split('?')[0];
    const downloads = async () => {
      const times: number[] = [];
      for (let i = 0; i < DOWNLOADS; i++) {
        const start = performance.now();
        const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${staff}` } });
        await res.arrayBuffer();
        times.push(performance.now() - start);
      }
      return times;
    };

    const quiet = p95(await downloads());
    let flooding = true;
    let logins = 0;
    const attacker = async (n: number) => {
      for (let i = 0; flooding; i++) {
        await server.gql(null, 'mutation($l:String!){ login(login:$l, password:"wrong"){ token } }', {
          l: `flood-${n}-${i}`,
        });
        logins++;
      }
    };
    const attackers = Array.from({ length: FLOOD }, (_, n) => attacker(n));
    const started = performance.now();
    const flood = p95(await downloads());
    const seconds = (performance.now() - started) / 1000;
    flooding = false;
    await Promise.all(attackers);
    return { quiet, flood, logins: logins / seconds };
  } finally {
    await server.stop();
  }
}

async function main() {
  console.log(
    `${DOWNLOADS} downloads of ${FILE_BYTES / 1048576} MB one after another, quiet and while ${FLOOD} logins are always in flight`,
  );
  for (const [label, concurrency] of [
    ['scrypt unbounded (before)', 10_000],
    ['PASSWORD_HASH_CONCURRENCY=2', 2],
    ['PASSWORD_HASH_CONCURRENCY=1', 1],
  ] as const) {
    const { quiet, flood, logins } = await measure(concurrency);
    console.log(
      `${label.padEnd(30)} download p95 quiet ${quiet.toFixed(1).padStart(6)} ms, under the flood ${flood.toFixed(1).padStart(7)} ms  ×${(flood / quiet).toFixed(1)}   (${logins.toFixed(0)} logins/s answered)`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
