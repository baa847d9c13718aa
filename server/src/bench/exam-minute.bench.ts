import 'reflect-metadata';
import { addTickets, createExam, seedUniversity, startTestServer, type TestServer } from '../testing/harness';

/**
 * `npm run bench`: the exam's busiest minute on the embedded database — N students
 * choose tickets and send answers at once, and staff load the live room — each timed
 * against a baseline of N trivial authenticated queries run in the same process.
 */
const N = Number(process.env.BENCH_STUDENTS ?? 200);

async function timed<T>(work: () => Promise<T>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main() {
  const server: TestServer = await startTestServer();
  try {
    const u = await seedUniversity(server, N);
    const staff = await server.login('staff');
    const tokens = await Promise.all(u.students.map((s) => server.login(s.login)));
    const examId = await createExam(server, staff, u);
    const tickets = await addTickets(server, staff, examId, N);

    const baseline = await timed(() => Promise.all(tokens.map((t) => server.ok(t, '{ me { id } }'))));
    const choose = await timed(() => Promise.all(tokens.map((t, i) =>
      server.ok(t, 'mutation($e:ID!,$t:ID!){ chooseTicket(examId:$e, ticketId:$t){ id } }', { e: examId, t: tickets[i] }))));
    await server.ok(staff, 'mutation($e:ID!){ releaseQuestions(examId:$e){ id } }', { e: examId });
    await Promise.all(tokens.map((t) => server.ok(t, 'mutation($e:ID!){ showTicketQuestions(examId:$e){ __typename } }', { e: examId })));
    const submit = await timed(() => Promise.all(tokens.map((t, i) =>
      server.ok(t, 'mutation($e:ID!,$x:String!){ submitAnswer(examId:$e, text:$x){ submittedAt } }', { e: examId, x: `Answer number ${i} `.repeat(50) }))));
    const room = await timed(() => server.ok(staff, `query($e:ID!){ exam(id:$e){ sittings { student { fullName } online ticketNumber
      questionsReleasedAt questionsViewedAt answerSavedAt submittedAt grade { letter } } } }`, { e: examId }));
    const roomBaseline = await timed(() => server.ok(staff, '{ me { id } }'));

    const row = (what: string, ms: number, base: number) =>
      console.log(`${what.padEnd(34)} ${ms.toFixed(0).padStart(7)} ms  ${(ms / N).toFixed(2).padStart(7)} ms/student  ×${(ms / base).toFixed(1)} baseline`);
    console.log(`${N} students at once, SQLite (${server.app.orm.config.get('dbName')})`);
    row('baseline: N × { me }', baseline, baseline);
    row('N × chooseTicket', choose, baseline);
    row('N × submitAnswer (~1 KB)', submit, baseline);
    console.log(`${'staff room, one query'.padEnd(34)} ${room.toFixed(0).padStart(7)} ms  ×${(room / roomBaseline).toFixed(1)} one { me }`);
  } finally {
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
