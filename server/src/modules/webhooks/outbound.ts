import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { BadUserInputError } from '../../common/errors';

/** longest webhook URL */
export const MAX_WEBHOOK_URL_CHARS = 2000;

/** Addresses a webhook may not reach unless its host is allowed (WEBHOOK_ALLOWED_HOSTS): the server's own networks. */
const PRIVATE = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv6');

/** whether an address is loopback, private, link-local, shared, multicast or unspecified (IPv4-mapped IPv6 as IPv4) */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PRIVATE.check(mapped[1], 'ipv4');
  const family = isIP(address);
  if (!family) return true;
  return PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** a URL's host as compared with WEBHOOK_ALLOWED_HOSTS (IPv6 without brackets, lower case) */
const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '').toLowerCase();

/**
 * Checks a webhook URL when staff register it: https (plain http only to an allowed host), no user:password, and not
 * an address of the server's own networks given literally. Names are resolved and checked again at every delivery.
 */
export function checkWebhookUrl(raw: string, allowedHosts: readonly string[]): URL {
  const text = raw.trim();
  if (!text || text.length > MAX_WEBHOOK_URL_CHARS)
    throw new BadUserInputError(`A webhook URL is 1–${MAX_WEBHOOK_URL_CHARS} characters.`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new BadUserInputError('This is not a URL; give a full address such as https://erp.example.edu/hooks/grades.');
  }
  const host = hostOf(url);
  const allowed = allowedHosts.includes(host);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowed))
    throw new BadUserInputError('A webhook URL must start with https:// (grades travel in it).');
  if (url.username || url.password)
    throw new BadUserInputError('A webhook URL may not hold a user name or password; the signature proves the sender.');
  if (!allowed && (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) && isPrivateAddress(host))))
    throw new BadUserInputError(
      `A webhook may not reach ${host}: it is an address of the server's own networks (ask the operator to allow it in WEBHOOK_ALLOWED_HOSTS).`,
    );
  return url;
}

/** What one POST came to: a status (any) or an error, how long it took, and the start of the response. */
export interface PostOutcome {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  excerpt: string | null;
}

export interface PostSettings {
  allowedHosts: readonly string[];
  timeoutMs: number;
  excerptChars: number;
}

/** the address to connect to: resolved once, refused when private (unless allowed), then pinned so it cannot change */
async function vettedAddress(url: URL, allowedHosts: readonly string[]): Promise<{ address: string; family: number }> {
  const host = hostOf(url);
  const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true });
  if (!addresses.length) throw new Error(`${host} has no address`);
  if (!allowedHosts.includes(host)) {
    const inside = addresses.find((a) => isPrivateAddress(a.address));
    if (inside)
      throw new Error(`refused: ${host} resolves to ${inside.address}, an address of the server's own networks`);
  }
  return addresses[0];
}

/**
 * POSTs `body` to `url`: the address checked against the server's own networks and pinned (no DNS rebinding between
 * the check and the connection), no redirects followed, the whole exchange cut at `timeoutMs`, and only the first
 * `excerptChars` of the response kept.
 */
export async function postJson(
  url: URL,
  headers: Record<string, string>,
  body: string,
  settings: PostSettings,
): Promise<PostOutcome> {
  const started = Date.now();
  const done = (statusCode: number | null, error: string | null, excerpt: string | null): PostOutcome => ({
    statusCode,
    error,
    durationMs: Date.now() - started,
    excerpt,
  });
  let target: { address: string; family: number };
  try {
    target = await vettedAddress(url, settings.allowedHosts);
  } catch (error) {
    return done(null, error instanceof Error ? error.message : String(error), null);
  }
  const pinned: LookupFunction = (_host, options, callback) => {
    if (options.all) callback(null, [target]);
    else callback(null, target.address, target.family);
  };
  return new Promise<PostOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const request = (url.protocol === 'https:' ? https : http).request(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      lookup: pinned,
      agent: false,
    });
    const timer = setTimeout(() => {
      request.destroy();
      finish(done(null, `timed out after ${settings.timeoutMs} ms`, null));
    }, settings.timeoutMs);
    request.on('error', (error) => finish(done(null, error.message, null)));
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      const limit = settings.excerptChars * 4; // UTF-8: at most 4 bytes a character
      const excerpt = () =>
        settings.excerptChars ? Buffer.concat(chunks).toString('utf8').slice(0, settings.excerptChars) : null;
      response.on('data', (chunk: Buffer) => {
        if (kept < limit) {
          chunks.push(chunk.subarray(0, limit - kept));
          kept += Math.min(chunk.length, limit - kept);
        }
        if (kept >= limit) response.destroy(); // the rest is not read
      });
      response.on('error', () => finish(done(response.statusCode ?? null, null, excerpt())));
      response.on('close', () => finish(done(response.statusCode ?? null, null, excerpt())));
    });
    request.end(body);
  });
}
