import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEY_LENGTH = 64;
const PARAMS: ScryptOptions = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

function derive(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, PARAMS, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** `scrypt$N$r$p$salt$hash`, so parameters can be raised later without breaking old hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  // an unknown login still pays for one derivation, so timing does not tell which logins exist
  const [scheme, n, r, p, salt, hash] = (stored ?? 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$').split('$');
  if (scheme !== 'scrypt') return false;
  const expected = Buffer.from(hash ?? '', 'base64');
  const key = await new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize('NFKC'), Buffer.from(salt, 'base64'), KEY_LENGTH,
      { N: Number(n), r: Number(r), p: Number(p), maxmem: PARAMS.maxmem }, (err, k) => (err ? reject(err) : resolve(k))),
  );
  return stored != null && expected.length === key.length && timingSafeEqual(expected, key);
}
