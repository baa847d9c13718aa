import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { gql, login, scratchDatabase, startInstance, type Instance } from './processes';

const pgBase = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.TEST_REDIS_URL;

/** Issue 13: an API client revoked on one instance loses its socket on another at once (through Redis). */
describe('an API client revoked on another instance', () => {
  let a: Instance;
  let b: Instance;
  let drop: () => Promise<void>;
  let dataDir: string;

  beforeAll(async () => {
    if (!pgBase || !redisUrl) throw new Error('TEST_DATABASE_URL and TEST_REDIS_URL must be set for this suite');
    const db = await scratchDatabase(pgBase, 'att_cluster_clients');
    drop = db.drop;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestation-cluster-'));
    const env = {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: db.url,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: `att-clients-${path.basename(dataDir)}`,
      SEED_DEMO: 'true',
      LOG_LEVEL: 'warn',
      SHUTDOWN_DELAY_MS: '0',
    };
    a = await startInstance({ ...env, INSTANCE_ID: 'A' }); // migrates and seeds first
    b = await startInstance({ ...env, INSTANCE_ID: 'B' });
  }, 120_000);

  afterAll(async () => {
    for (const i of [a, b]) i?.process.kill('SIGTERM');
    await Promise.all([a?.exited, b?.exited]);
    await drop?.();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('closes its WebSocket there with 4401 and refuses its token there', async () => {
    const staff = await login(a.url, 'staff');
    const created = await gql(
      a.url,
      staff,
      'mutation { createApiClient(input: { name: "ERP", scopes: [EXAMS_READ] }) { token client { id } } }',
    );
    const { token, client } = created.data.createApiClient as { token: string; client: { id: string } };
    const socket = createClient({
      url: `${b.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
      lazy: false,
      onNonLazyError: () => undefined,
    });
    const closed = new Promise<number>((resolve) =>
      socket.on('closed', (event) => resolve((event as { code: number }).code)),
    );
    // the socket is open and the client known on B
    const answered = await new Promise<{ data?: unknown }>((resolve, reject) =>
      socket.subscribe({ query: '{ serverTime }' }, { next: resolve, error: reject, complete: () => undefined }),
    );
    expect(answered.data).toBeDefined();

    const started = Date.now();
    await gql(a.url, staff, 'mutation($id: ID!) { revokeApiClient(id: $id) { id } }', { id: client.id });
    expect(await closed).toBe(4401);
    expect(Date.now() - started).toBeLessThan(3000);
    const refused = await gql(b.url, token, '{ serverTime }');
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await socket.dispose();
  });
});
