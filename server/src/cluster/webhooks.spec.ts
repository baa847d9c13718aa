import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Client as PgClient } from 'pg';
import { gql, login, scratchDatabase, startInstance, type Instance } from './processes';

/**
 * issue 13: two server processes on one PostgreSQL both poll for webhook deliveries; each endpoint is claimed by one at
 * a time, so a receiver gets every grade event once and in feed order. Runs when TEST_DATABASE_URL is set.
 */
const pgBase = process.env.TEST_DATABASE_URL;

describe('webhooks with two instances on one PostgreSQL', () => {
  let a: Instance;
  let b: Instance;
  let database: { url: string; drop: () => Promise<void> };
  let dataDir: string;
  const received: { id: string; at: number }[] = [];
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ id: JSON.parse(body).id as string, at: Date.now() });
      setTimeout(() => res.writeHead(204).end(), 10); // a little slow, so both instances' polls overlap a delivery
    });
  });

  beforeAll(async () => {
    if (!pgBase) throw new Error('TEST_DATABASE_URL must be set for this suite');
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    database = await scratchDatabase(pgBase, 'att_hooks');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestation-hooks-'));
    const env = {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      SEED_DEMO: 'true',
      LOG_LEVEL: 'warn',
      SHUTDOWN_DELAY_MS: '0',
      WEBHOOK_POLL_MS: '30',
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      WEBHOOK_KEY: 'the-same-key-on-every-instance',
    };
    a = await startInstance({ ...env, INSTANCE_ID: 'A' }); // migrates and seeds first
    b = await startInstance({ ...env, INSTANCE_ID: 'B', MIGRATE_ON_START: 'false' });
  }, 120_000);

  afterAll(async () => {
    for (const i of [a, b]) i?.process.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    receiver.closeAllConnections();
    await new Promise((r) => receiver.close(r));
  }, 30_000);

  it('delivers each event once, in order, whichever instance claims the webhook', async () => {
    const staff = await login(a.url, 'staff');
    const made = await gql(
      a.url,
      staff,
      'mutation($input: ApiClientInput!){ createApiClient(input:$input){ client { id } } }',
      { input: { name: 'ERP', scopes: ['GRADES_READ'] } },
    );
    const port = (receiver.address() as AddressInfo).port;
    const added = await gql(
      b.url,
      staff,
      'mutation($c:ID!,$u:String!){ addWebhook(apiClientId:$c, url:$u){ webhook { id } } }',
      {
        c: made.data.createApiClient.client.id,
        u: `http://127.0.0.1:${port}/grades`,
      },
    );
    expect(added.errors).toBeUndefined();

    // 40 grade events, each in its own transaction (positions from the feed's counter row, as the server's own)
    const pg = new PgClient({ connectionString: database.url });
    await pg.connect();
    try {
      const { rows } = await pg.query<{ id: string }>('select id from sittings order by id limit 1');
      for (let i = 0; i < 40; i++)
        await pg.query(
          `insert into grade_changes (sitting_id, kind, score, letter, gpa, previous_score, reason, at)
           values ($1, 'CORRECTED', $2, 'C', 2, 50, 'cluster spec', now())`,
          [rows[0].id, 50 + (i % 40)],
        );
    } finally {
      await pg.end();
    }
    const deadline = Date.now() + 30_000;
    while (received.length < 40 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500)); // a duplicate would arrive meanwhile

    const ids = received.map((r) => r.id);
    expect(ids.length).toBe(40);
    expect(new Set(ids).size).toBe(40);
    const feed = await gql(a.url, staff, '{ gradeChanges(first: 100){ events { cursor reason } } }');
    expect(feed.errors).toBeUndefined();
    const ours = feed.data.gradeChanges.events
      .filter((e: { reason: string | null }) => e.reason === 'cluster spec')
      .map((e: { cursor: string }) => e.cursor);
    expect(ids).toEqual(ours);
    const hooks = await gql(a.url, staff, '{ apiClients { webhooks { pendingEvents status deliveries { ok } } } }');
    const hook = hooks.data.apiClients.flatMap((c: { webhooks: unknown[] }) => c.webhooks)[0];
    expect(hook).toEqual(jasmine.objectContaining({ pendingEvents: 0, status: 'ACTIVE' }));
  }, 90_000);
});
