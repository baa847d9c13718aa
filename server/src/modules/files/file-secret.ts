import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config';

/** The secret that signs file download addresses: FILE_URL_SECRET, else one kept in DATA_DIR so every instance and restart shares it. */
export function fileSecret(config: Pick<Config, 'dataDir' | 'fileUrlSecret'>): Buffer {
  if (config.fileUrlSecret) return Buffer.from(config.fileUrlSecret);
  const file = path.join(config.dataDir, 'file-url.secret');
  fs.mkdirSync(config.dataDir, { recursive: true });
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
  return Buffer.from(fs.readFileSync(file, 'utf8').trim());
}
