import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';

/** The built web app (dist/client/browser), when there is one: its files, and index.html for every other page address. */
export function webApp(clientDir: string | undefined): Router | undefined {
  if (!clientDir || !fs.existsSync(path.join(clientDir, 'index.html'))) return undefined;
  const router = Router();
  router.use(express.static(clientDir, { index: false, maxAge: '1h' }));
  router.get(/^\/(?!graphql|files).*/, (_req, res) => res.sendFile(path.join(clientDir, 'index.html')));
  return router;
}
