import { startTestServer, type TestServer } from '../testing/harness';

/** issue 12: the demo's published exam carries one appeal before its commission and one decided. */
describe('the demo appeals', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ seedDemo: true });
  });
  afterAll(() => server.stop());

  it('has one pending and one decided appeal; teacher2 sits on both commissions and may decide the pending one', async () => {
    const [staff, teacher2, student10] = await Promise.all(
      ['staff', 'teacher2', 'student10'].map((l) => server.login(l, 'demo')),
    );
    const { appeals } = await server.ok(
      staff,
      '{ appeals { id examId status decision previousScore newScore reason student { login } commission { login } discipline { code } } }',
    );
    expect(appeals.map((a: any) => [a.student.login, a.status]).sort()).toEqual([
      ['student08', 'UNDER_REVIEW'],
      ['student10', 'DECIDED'],
    ]);
    const decided = appeals.find((a: any) => a.status === 'DECIDED');
    expect(decided).toEqual(
      jasmine.objectContaining({
        decision: 'CHANGED',
        previousScore: 40,
        newScore: 55,
        discipline: { code: 'HIS-101' },
      }),
    );
    const mine = await server.ok(teacher2, '{ myAppeals { id status } }');
    expect(mine.myAppeals.length).toBe(2);
    const pending = appeals.find((a: any) => a.status === 'UNDER_REVIEW');
    const decide = await server.ok(
      teacher2,
      'mutation($a:ID!){ decideAppeal(appealId:$a, decision: KEPT, reason: "The grade stands"){ status currentScore } }',
      { a: pending.id },
    );
    expect(decide.decideAppeal).toEqual({ status: 'DECIDED', currentScore: 61 });
    const own = await server.ok(
      student10,
      'query($e:ID!){ exam(id:$e){ mySitting { grade { score } appeal { status decision reason } } } }',
      { e: decided.examId },
    );
    expect(own.exam.mySitting.grade.score).toBe(55);
    expect(own.exam.mySitting.appeal).toEqual({ status: 'DECIDED', decision: 'CHANGED', reason: decided.reason });
  });
});
