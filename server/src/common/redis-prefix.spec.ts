import { randomBytes, randomUUID } from 'node:crypto';
import { startTestServer, sleep, type TestServer } from '../testing/harness';

/** true once `test` holds; false after `ms` */
async function until(test: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!test() && Date.now() < deadline) await sleep(20);
  return test();
}

// REDIS_KEY_PREFIX separates deployments on one Redis: only where Redis is (the PostgreSQL run)
if (process.env.TEST_REDIS_URL)
  describe('two deployments on one Redis (REDIS_KEY_PREFIX)', () => {
    let a: TestServer;
    let b: TestServer;
    let other: TestServer;

    beforeAll(async () => {
      const redisKeyPrefix = `att-spec-${randomBytes(6).toString('hex')}`;
      a = await startTestServer({ redisKeyPrefix });
      b = await startTestServer({ redisKeyPrefix });
      other = await startTestServer({ redisKeyPrefix: `att-spec-${randomBytes(6).toString('hex')}` });
    });
    afterAll(async () => {
      await other?.stop();
      await b?.stop();
      await a?.stop();
    });

    it("hears its own instances' exam events, not another deployment's", async () => {
      const examId = randomUUID();
      const seen = { b: 0, other: 0 };
      const onB = b.app.services.events.sittings(examId, () => undefined);
      const onOther = other.app.services.events.sittings(examId, () => undefined);
      void (async () => {
        for await (const change of onB) if (change.examId === examId) seen.b++;
      })();
      void (async () => {
        for await (const change of onOther) if (change.examId === examId) seen.other++;
      })();
      await sleep(200); // the subscriptions reach Redis
      a.app.services.events.sittingChanged({ examId, sittingId: randomUUID(), studentId: randomUUID() });
      expect(await until(() => seen.b === 1, 5000))
        .withContext('the same deployment heard it')
        .toBeTrue();
      await sleep(300);
      expect(seen.other).withContext('the other deployment did not').toBe(0);
      onB.return?.();
      onOther.return?.();
    });

    it("shares presence between its own instances, not with another deployment's", async () => {
      const examId = randomUUID();
      const studentId = randomUUID();
      const now = new Date();
      expect(await a.app.services.presence.join(examId, studentId, now))
        .withContext('first page')
        .toBeTrue();
      expect(await b.app.services.presence.join(examId, studentId, now))
        .withContext('a second page, on another instance of the deployment')
        .toBeFalse();
      expect(await other.app.services.presence.join(examId, studentId, now))
        .withContext("another deployment's first page")
        .toBeTrue();
    });
  });
