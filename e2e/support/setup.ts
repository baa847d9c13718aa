import fs from 'node:fs';
import { chromium } from 'playwright-core';
import { Api } from './api';
import { ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS, world } from './browser';
import { recordFailures, traceEveryContext } from './failures';
import { startServer } from './server';

// One real server (fresh database, demo university) and one browser for the whole run; each spec opens its own contexts.
jasmine.DEFAULT_TIMEOUT_INTERVAL = 90_000;
recordFailures();

beforeAll(async () => {
  fs.rmSync(ARTIFACTS, { recursive: true, force: true });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  world.server = await startServer();
  world.api = new Api(world.server.url);
  world.staff = await world.api.login('staff');
  world.browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  traceEveryContext(world.browser);
}, 120_000);

afterAll(async () => {
  await world.browser?.close();
  if (world.server) {
    fs.writeFileSync(`${ARTIFACTS}/server.log`, world.server.output());
    await world.server.stop();
  }
});
