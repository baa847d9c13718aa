import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { logger } from '../../common/logger';
import {
  createExam,
  seedUniversity,
  sleep,
  startTestServer,
  type TestServer,
  type University,
} from '../../testing/harness';
import { isPrivateAddress, postJson } from './outbound';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { WebhookSender } from './webhook-sender';
import { WebhookSecrets } from './webhook-secrets';

const SUBMIT = 'mutation($e:ID!,$t:String!){ submitAnswer(examId:$e, text:$t){ status } }';
const GRADE = 'mutation($s:ID!,$score:Int!){ gradeSitting(sittingId:$s, score:$score){ id } }';
const CORRECT = 'mutation($s:ID!,$score:Int!,$r:String!){ correctGrade(sittingId:$s, score:$score, reason:$r){ id } }';
const CREATE_CLIENT = 'mutation($input: ApiClientInput!){ createApiClient(input:$input){ token client { id } } }';
const ADD =
  'mutation($c:ID!,$u:String!){ addWebhook(apiClientId:$c, url:$u){ secret webhook { id url secretStart enabled status createdAt } } }';
const ENABLE =
  'mutation($id:ID!,$on:Boolean!){ setWebhookEnabled(id:$id, enabled:$on){ id enabled status failingSince } }';
const REMOVE = 'mutation($id:ID!){ removeWebhook(id:$id) }';
const HOOKS = `{ apiClients { id name webhooks { id url status attempts lastError pendingEvents failingSince
  deliveries { eventId attempt ok statusCode durationMs error responseExcerpt at } } } }`;
const FEED =
  'query($after:String){ gradeChanges(after:$after, first:50){ events { cursor kind score letter gpa sittingId previousScore reason } } }';

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A receiver on loopback: records every POST, answers each path's planned statuses in turn (then 200). */
class Receiver {
  readonly received: Received[] = [];
  readonly plan = new Map<string, { status: number; delayMs?: number }[]>();
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      this.received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      const next = this.plan.get(path)?.shift() ?? { status: 200 };
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(next.status, { 'content-type': 'text/plain' });
        res.end(next.status < 300 ? 'thanks' : `receiver says no (${'x'.repeat(500)})`);
      }, next.delayMs ?? 0);
    });
  });
  url = '';

  async start() {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  of(path: string) {
    return this.received.filter((r) => r.path === path);
  }
  stop() {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(r));
  }
}

/** issue 13: webhooks of the grade feed — signed, in order, retried with back-off, logged, and never into the server's networks. */
describe('webhooks', () => {
  let server: TestServer;
  let u: University;
  let staff: string;
  let sitting: string;
  let score = 40;
  const receiver = new Receiver();

  /** one grade event (a correction of a published grade) */
  const gradeEvent = async () => {
    score = score >= 90 ? 40 : score + 1;
    await server.ok(staff, CORRECT, { s: sitting, score, r: 'Recounted' });
  };
  const deliver = () => server.app.services.webhookSender.deliverDue(server.app.orm.em.fork(), () => new Date());
  const hooks = async () => (await server.ok(staff, HOOKS)).apiClients;
  const hook = async (id: string) =>
    (await hooks()).flatMap((c: { webhooks: { id: string }[] }) => c.webhooks).find((w: { id: string }) => w.id === id);

  /** a client with a webhook at `path` of the receiver */
  async function webhookAt(path: string, name = path) {
    const { createApiClient } = await server.ok(staff, CREATE_CLIENT, { input: { name, scopes: ['GRADES_READ'] } });
    const { addWebhook } = await server.ok(staff, ADD, { c: createApiClient.client.id, u: receiver.url + path });
    return { clientId: createApiClient.client.id, token: createApiClient.token, ...addWebhook };
  }

  beforeAll(async () => {
    await receiver.start();
    server = await startTestServer({
      webhookAllowedHosts: ['127.0.0.1'],
      webhookRetryBaseMs: 150,
      webhookRetryMaxMs: 10_000,
      webhookMaxAttempts: 3,
      webhookTimeoutMs: 400,
      webhookPollMs: 3_600_000, // the specs deliver by hand (deliverDue), except where the poll itself is tried
      webhooksPerClient: 2,
    });
    u = await seedUniversity(server, 1);
    staff = await server.login('staff');
    const examId = await createExam(server, staff, u, {
      format: 'TASK',
      ticketAssignment: null,
      taskText: 'Explain locks.',
      resultsRelease: 'AT_ONCE',
    });
    await server.ok(await server.login('s01'), SUBMIT, { e: examId, t: 'Row locks and table locks' });
    const room = await server.ok(staff, 'query($e:ID!){ exam(id:$e){ sittings { id } } }', { e: examId });
    sitting = room.exam.sittings[0].id;
    await server.ok(staff, GRADE, { s: sitting, score });
  });
  afterEach(async () => {
    // each spec's webhooks go, so later events reach only the next spec's
    const em = server.app.orm.em.fork();
    await em.nativeDelete(WebhookDelivery, {});
    await em.nativeDelete(WebhookEndpoint, {});
  });
  afterAll(async () => {
    await server.stop();
    await receiver.stop();
  });

  it('registers an https URL (or an allowed host) for staff, shows the secret once and keeps it encrypted', async () => {
    const added = await webhookAt('/register');
    expect(added.secret).toMatch(/^whsec_[\w-]{40,}$/);
    expect(added.webhook).toEqual(
      jasmine.objectContaining({
        url: `${receiver.url}/register`,
        secretStart: added.secret.slice(0, 10),
        enabled: true,
        status: 'ACTIVE',
      }),
    );
    expect(await server.code(staff, '{ apiClients { webhooks { secret } } }')).toBe('GRAPHQL_VALIDATION_FAILED');
    const [row] = await server.app.orm.em
      .fork()
      .getConnection()
      .execute('select secret_cipher from webhook_endpoints where id = ?', [added.webhook.id]);
    expect(row.secret_cipher).not.toContain(added.secret.slice(6));
    // a new webhook starts at the feed's head: nothing earlier is sent
    expect((await hook(added.webhook.id)).pendingEvents).toBe(0);
    expect(await deliver()).toBe(0);

    expect(await server.code(staff, ADD, { c: added.clientId, u: `${receiver.url}/second` })).toBeUndefined();
    expect(await server.code(staff, ADD, { c: added.clientId, u: `${receiver.url}/third` })).toBe('BAD_USER_INPUT');
    expect(
      await server.code(await server.login('teacher'), ADD, { c: added.clientId, u: 'https://erp.example.edu/h' }),
    ).toBe('FORBIDDEN');
    expect(await server.code(added.token, ADD, { c: added.clientId, u: 'https://erp.example.edu/h' })).toBe(
      'FORBIDDEN',
    );
  });

  it('refuses plain http and addresses of its own networks (SSRF), at registration and at delivery', async () => {
    const { createApiClient } = await server.ok(staff, CREATE_CLIENT, {
      input: { name: 'ssrf', scopes: ['GRADES_READ'] },
    });
    const c = createApiClient.client.id;
    for (const url of [
      'http://erp.example.edu/hooks',
      'ftp://erp.example.edu/hooks',
      'https://10.1.2.3/hooks',
      'https://169.254.169.254/latest/meta-data',
      'https://192.168.0.10/',
      'https://[::1]/hooks',
      'https://[fe80::1]/hooks',
      'https://[::ffff:127.0.0.1]/hooks',
      'https://localhost/hooks',
      'https://user:pw@erp.example.edu/hooks',
      'not a url',
    ])
      expect(await server.code(staff, ADD, { c, u: url }))
        .withContext(url)
        .toBe('BAD_USER_INPUT');
    for (const address of [
      '127.0.0.1',
      '10.0.0.1',
      '172.16.5.4',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fd00::1',
      '::ffff:10.0.0.1',
    ])
      expect(isPrivateAddress(address)).withContext(address).toBeTrue();
    for (const address of ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'])
      expect(isPrivateAddress(address)).withContext(address).toBeFalse();

    // at delivery the resolved address is checked again: with 127.0.0.1 no longer allowed nothing is sent
    const added = await webhookAt('/ssrf-later');
    const settings = server.app.services.config;
    settings.webhookAllowedHosts = [];
    try {
      await gradeEvent();
      expect(await deliver()).toBe(1);
      expect(receiver.of('/ssrf-later').length).toBe(0);
      const seen = await hook(added.webhook.id);
      expect(seen.deliveries[0]).toEqual(
        jasmine.objectContaining({
          ok: false,
          statusCode: null,
          error: jasmine.stringMatching(/^refused: 127\.0\.0\.1/),
        }),
      );
      const direct = await postJson(new URL(`${receiver.url}/direct`), {}, '{}', {
        allowedHosts: [],
        timeoutMs: 1000,
        excerptChars: 10,
      });
      expect(direct.error).toMatch(/refused/);
      expect(receiver.of('/direct').length).toBe(0);
    } finally {
      settings.webhookAllowedHosts = ['127.0.0.1'];
    }
  });

  it('POSTs each event as JSON signed with HMAC-SHA256 of the timestamp and the raw body, with an event id', async () => {
    const added = await webhookAt('/signed');
    // the student information system's key rides along, so the receiver matches its own record
    await server.app.orm.em
      .fork()
      .getConnection()
      .execute(`update users set external_id = 'SIS-s01' where login = 's01'`);
    const before = (await server.ok(staff, FEED, {})).gradeChanges.events.length;
    await gradeEvent();
    await gradeEvent();
    expect(await deliver()).toBe(2);
    const got = receiver.of('/signed');
    expect(got.length).toBe(2);
    const feed = (await server.ok(staff, FEED, {})).gradeChanges.events.slice(before);
    for (const [i, delivery] of got.entries()) {
      const timestamp = delivery.headers['x-attestation-timestamp'] as string;
      expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
      const expected = createHmac('sha256', added.secret).update(`${timestamp}.${delivery.body}`).digest('hex');
      expect(delivery.headers['x-attestation-signature']).toBe(`sha256=${expected}`);
      expect(delivery.headers['content-type']).toBe('application/json');
      const body = JSON.parse(delivery.body);
      expect(delivery.headers['x-attestation-event-id']).toBe(body.id);
      expect(body).toEqual(
        jasmine.objectContaining({
          id: feed[i].cursor,
          kind: 'CORRECTED',
          sittingId: sitting,
          score: feed[i].score,
          letter: feed[i].letter,
          gpa: feed[i].gpa,
          previousScore: feed[i].previousScore,
          reason: 'Recounted',
          student: { id: jasmine.any(String), login: 's01', externalId: 'SIS-s01' },
          exam: { id: jasmine.any(String), externalId: null },
        }),
      );
      // another secret does not verify
      const forged = createHmac('sha256', 'whsec_other').update(`${timestamp}.${delivery.body}`).digest('hex');
      expect(delivery.headers['x-attestation-signature']).not.toBe(`sha256=${forged}`);
    }
    const seen = await hook(added.webhook.id);
    expect(seen.pendingEvents).toBe(0);
    expect(
      seen.deliveries.map((d: { eventId: string; ok: boolean; statusCode: number }) => [d.eventId, d.ok, d.statusCode]),
    ).toEqual([
      [feed[1].cursor, true, 200],
      [feed[0].cursor, true, 200],
    ]);
    expect(seen.deliveries[0].responseExcerpt).toBe('thanks');
  });

  it('retries a failed event with growing waits, in feed order, and logs every attempt', async () => {
    const added = await webhookAt('/flaky');
    receiver.plan.set('/flaky', [{ status: 500 }, { status: 503 }]);
    await gradeEvent();
    await gradeEvent();
    expect(await deliver()).toBe(1); // the first event fails; the second waits behind it
    let seen = await hook(added.webhook.id);
    expect(seen).toEqual(
      jasmine.objectContaining({ status: 'RETRYING', attempts: 1, lastError: 'HTTP 500', pendingEvents: 2 }),
    );
    expect(seen.deliveries[0].responseExcerpt.length).toBe(200); // WEBHOOK_RESPONSE_EXCERPT_CHARS: the rest is not kept
    expect(await deliver()).toBe(0); // not due before its wait
    const deadline = Date.now() + 5000;
    while (receiver.of('/flaky').length < 4 && Date.now() < deadline) {
      await deliver();
      await sleep(20);
    }
    const got = receiver.of('/flaky');
    const ids = got.map((r) => r.headers['x-attestation-event-id']);
    expect(ids.length).toBe(4);
    expect(ids.slice(0, 3)).toEqual([ids[0], ids[0], ids[0]]);
    expect(ids[3]).not.toBe(ids[0]);
    // back-off: 150 ms, then 300 ms
    expect(got[1].at - got[0].at).toBeGreaterThanOrEqual(150);
    expect(got[2].at - got[1].at).toBeGreaterThanOrEqual(300);
    seen = await hook(added.webhook.id);
    expect(seen).toEqual(
      jasmine.objectContaining({ status: 'ACTIVE', attempts: 0, lastError: null, pendingEvents: 0 }),
    );
    expect(
      [...seen.deliveries]
        .reverse()
        .map((d: { attempt: number; ok: boolean; statusCode: number }) => [d.attempt, d.ok, d.statusCode]),
    ).toEqual([
      [1, false, 500],
      [2, false, 503],
      [3, true, 200],
      [1, true, 200],
    ]);
  });

  it('cuts a slow receiver at WEBHOOK_TIMEOUT_MS, then marks the webhook failing until staff enable it again', async () => {
    const added = await webhookAt('/slow');
    receiver.plan.set('/slow', [{ status: 200, delayMs: 2000 }, { status: 500 }, { status: 500 }]);
    await gradeEvent();
    const started = Date.now();
    expect(await deliver()).toBe(1);
    expect(Date.now() - started).toBeLessThan(1500);
    let seen = await hook(added.webhook.id);
    expect(seen.deliveries[0]).toEqual(
      jasmine.objectContaining({ ok: false, statusCode: null, error: 'timed out after 400 ms', responseExcerpt: null }),
    );
    expect(seen.deliveries[0].durationMs).toBeGreaterThanOrEqual(390);
    expect(seen.deliveries[0].durationMs).toBeLessThan(1500);
    const deadline = Date.now() + 5000;
    while ((await hook(added.webhook.id)).status !== 'FAILING' && Date.now() < deadline) {
      await deliver();
      await sleep(20);
    }
    seen = await hook(added.webhook.id);
    expect(seen.status).toBe('FAILING');
    expect(seen.failingSince).not.toBeNull();
    expect(seen.deliveries.length).toBe(3); // WEBHOOK_MAX_ATTEMPTS
    await gradeEvent();
    await sleep(400);
    expect(await deliver()).toBe(0); // later events wait, none is dropped
    expect((await hook(added.webhook.id)).pendingEvents).toBe(2);
    const resumed = await server.ok(staff, ENABLE, { id: added.webhook.id, on: true });
    expect(resumed.setWebhookEnabled).toEqual(jasmine.objectContaining({ status: 'ACTIVE', failingSince: null }));
    expect(await deliver()).toBe(2);
    expect((await hook(added.webhook.id)).pendingEvents).toBe(0);
    // disabled: events wait
    await server.ok(staff, ENABLE, { id: added.webhook.id, on: false });
    await gradeEvent();
    expect(await deliver()).toBe(0);
    expect((await hook(added.webhook.id)).status).toBe('DISABLED');
    expect(await server.ok(staff, REMOVE, { id: added.webhook.id })).toEqual({ removeWebhook: added.webhook.id });
    expect(await hook(added.webhook.id)).toBeUndefined();
  });

  it("says CLIENT_REVOKED for a revoked client's webhook and delivers nothing to it", async () => {
    const added = await webhookAt('/revoked');
    await gradeEvent();
    expect(await deliver()).toBe(1);
    await server.ok(staff, 'mutation($id:ID!){ revokeApiClient(id:$id){ id } }', { id: added.clientId });
    expect((await hook(added.webhook.id)).status).toBe('CLIENT_REVOKED');
    await gradeEvent();
    expect(await deliver()).toBe(0);
    // enabling it again does not bring it back: the client stays revoked
    const enabled = await server.ok(staff, ENABLE, { id: added.webhook.id, on: true });
    expect(enabled.setWebhookEnabled.status).toBe('CLIENT_REVOKED');
    expect(await deliver()).toBe(0);
    expect(receiver.of('/revoked').length).toBe(1);
  });

  it('two delivery workers on one database deliver each event once, in order', async () => {
    const added = await webhookAt('/twice');
    receiver.plan.set(
      '/twice',
      Array.from({ length: 12 }, () => ({ status: 200, delayMs: 15 })),
    );
    for (let i = 0; i < 12; i++) await gradeEvent();
    const { config } = server.app.services;
    const other = new WebhookSender(config, new WebhookSecrets(config), 'the-other-instance');
    const ours = server.app.services.webhookSender;
    const deadline = Date.now() + 10_000;
    while ((await hook(added.webhook.id)).pendingEvents > 0 && Date.now() < deadline)
      await Promise.all([
        ours.deliverDue(server.app.orm.em.fork(), () => new Date()),
        other.deliverDue(server.app.orm.em.fork(), () => new Date()),
        other.deliverDue(server.app.orm.em.fork(), () => new Date()),
      ]);
    const ids = receiver.of('/twice').map((r) => JSON.parse(r.body).id as string);
    expect(ids.length).toBe(12);
    expect(new Set(ids).size).toBe(12);
    const feed = (await server.ok(staff, FEED, {})).gradeChanges.events.map((e: { cursor: string }) => e.cursor);
    expect(ids).toEqual(feed.slice(feed.length - 12));
  });

  it('delivers by itself every WEBHOOK_POLL_MS and logs the client by name, never the secret or the body', async () => {
    const added = await webhookAt('/polled', 'ERP of the university');
    const lines: unknown[] = [];
    spyOn(logger, 'isLevelEnabled').and.returnValue(true);
    spyOn(logger, 'info').and.callFake(((line: unknown) => {
      lines.push(line);
    }) as never);
    server.app.services.config.webhookPollMs = 50;
    const stop = server.app.services.webhookSender.start(
      server.app.orm,
      () => new Date(),
      () => undefined,
    );
    try {
      await gradeEvent();
      const deadline = Date.now() + 5000;
      while (!receiver.of('/polled').length && Date.now() < deadline) await sleep(20);
    } finally {
      stop();
      server.app.services.config.webhookPollMs = 3_600_000;
    }
    expect(receiver.of('/polled').length).toBe(1);
    await sleep(50);
    const text = JSON.stringify(lines);
    expect(text).not.toContain(added.secret);
    expect(text).not.toContain('Recounted');
    expect(lines).toContain(
      jasmine.objectContaining({
        event: 'webhook-delivery',
        apiClient: { id: added.clientId, name: 'ERP of the university' },
        webhook: added.webhook.id,
        statusCode: 200,
      }),
    );
  });
});
