import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface RunningServer {
  readonly url: string;
  readonly dataDir: string;
  output(): string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** SEND_GRACE_MS of the e2e server: short, so the specs of the end wait seconds, not half a minute */
export const E2E_SEND_GRACE_MS = 5_000;

/**
 * The real server (built: `npm run build`) on a free port and a fresh SQLite database with the demo university;
 * `main` another build's server/dist/main.js (the first-load benchmark's baseline).
 */
export async function startServer(
  main = process.env['E2E_SERVER_MAIN'] ?? 'server/dist/main.js',
): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestation-e2e-'));
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [path.resolve(main)], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      REDIS_URL: '',
      SEED_DEMO: 'true',
      HEARTBEAT_MS: '1000',
      MAX_FILE_MB: '1',
      TIME_ZONE: 'Asia/Almaty',
      SHUTDOWN_DELAY_MS: '0', // no balancer to wait for
      SEND_GRACE_MS: String(E2E_SEND_GRACE_MS),
      AUTO_SEND_SWEEP_MS: '1000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let stopping = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      // say so at once: every later spec would only report "connection refused"
      if (!stopping)
        console.log(
          `\n[e2e] the server exited during the run (code ${code}, signal ${signal}); its log is in e2e/artifacts/server.log`,
        );
      resolve();
    }),
  );

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited during start:\n${output}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not answer /healthz within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const index = await fetch(`${url}/`).then((r) => r.text());
  if (!index.includes('<app-root')) throw new Error('the server does not serve the web app: run `npm run build` first');

  return {
    url,
    dataDir,
    output: () => output,
    stop: async () => {
      stopping = true;
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timeout = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timeout);
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
