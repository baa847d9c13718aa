// `npm run dev`: the server recompiled (`tsc -w`) and restarted (`node --watch`) on every change, and the web app from
// `ng serve` at http://localhost:4200 with live reload, proxying /graphql (and its WebSocket) and /files to the server
// (client/proxy.conf.mjs). The server takes its usual settings from the environment (PORT, DATA_DIR, DATABASE_URL …).
// Ctrl+C stops all three.
import { spawn } from 'node:child_process';
import path from 'node:path';

process.chdir(path.resolve(import.meta.dirname, '..'));

const parts = {
  tsc: { cmd: 'npx', args: ['tsc', '-w', '-p', 'server/tsconfig.json', '--preserveWatchOutput'] },
  // no balancer waits for a restarting dev server (SHUTDOWN_DELAY_MS), so it restarts at once
  server: { cmd: process.execPath, args: ['--watch', 'server/dist/main.js'], env: { SHUTDOWN_DELAY_MS: '0' } },
  ng: { cmd: 'npx', args: ['ng', 'serve'] },
};

let stopping = false;
const children = [];
function start(label, onLine = () => undefined) {
  const { cmd, args, env = {} } = parts[label];
  // a process group of its own, so that stopping it stops what npx started
  const child = spawn(cmd, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { FORCE_COLOR: '1', ...env, ...process.env },
  });
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream.on('data', (chunk) => {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop();
      for (const line of lines) {
        process.stdout.write(`[${label}] ${line}\n`);
        onLine(line);
      }
    });
  }
  child.once('exit', (code, signal) => {
    if (!stopping) {
      console.log(`[${label}] stopped (code ${code}, signal ${signal}); stopping the others`);
      stop(code ?? 1);
    }
  });
  children.push(child);
}

// the server starts once tsc's first pass has written server/dist, so that it does not restart straight away
let started = false;
start('tsc', (line) => {
  if (started || !/Found \d+ errors?\. Watching for file changes/.test(line)) return;
  started = true;
  start('server');
  start('ng');
});

function stop(code) {
  stopping = true;
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  setTimeout(() => process.exit(code), 500).unref();
}
process.once('SIGINT', () => stop(0));
process.once('SIGTERM', () => stop(0));
