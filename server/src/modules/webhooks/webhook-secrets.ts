import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config';

/** Every webhook secret starts with this, so a leaked one is recognised. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** characters of a secret kept readable, to tell secrets apart (like an API token's start) */
export const SECRET_START_CHARS = 10;

/** a new signing secret for one endpoint */
export const newWebhookSecret = (): string => WEBHOOK_SECRET_PREFIX + randomBytes(32).toString('base64url');

/**
 * The server must sign with the secret, so it cannot keep only a hash: secrets are stored encrypted (AES-256-GCM) with a
 * key from WEBHOOK_KEY, else one kept in DATA_DIR so every instance and restart shares it (as FILE_URL_SECRET).
 */
export class WebhookSecrets {
  private key?: Buffer;

  constructor(private readonly config: Pick<Config, 'dataDir' | 'webhookKey'>) {}

  private keyBytes(): Buffer {
    if (!this.key) {
      let material = this.config.webhookKey;
      if (!material) {
        const file = path.join(this.config.dataDir, 'webhook.key');
        fs.mkdirSync(this.config.dataDir, { recursive: true });
        if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
        material = fs.readFileSync(file, 'utf8').trim();
      }
      this.key = createHash('sha256').update(material).digest();
    }
    return this.key;
  }

  seal(secret: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keyBytes(), iv);
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return [
      'v1',
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      sealed.toString('base64url'),
    ].join('.');
  }

  open(stored: string): string {
    const [version, iv, tag, sealed] = stored.split('.');
    if (version !== 'v1' || !iv || !tag || sealed === undefined) throw new Error('unknown webhook secret format');
    const decipher = createDecipheriv('aes-256-gcm', this.keyBytes(), Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString('utf8');
  }
}

/** the headers a delivery carries */
export const SIGNATURE_HEADER = 'X-Attestation-Signature';
export const TIMESTAMP_HEADER = 'X-Attestation-Timestamp';
export const EVENT_ID_HEADER = 'X-Attestation-Event-Id';

/**
 * `sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`: the timestamp (Unix seconds, also in X-Attestation-Timestamp)
 * is signed with the body, so a captured delivery cannot be replayed later with a new timestamp.
 */
export function signature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}
