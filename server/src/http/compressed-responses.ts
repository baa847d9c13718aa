import zlib from 'node:zlib';
import compression from 'compression';
import type { RequestHandler } from 'express';

export interface CompressionSettings {
  /** responses smaller than this are sent as they are (compressing them saves less than it costs) */
  thresholdBytes: number;
  /** zlib level 1–9 */
  gzipLevel: number;
  /** Brotli quality 0–11; 11 is for build time, a response on the fly wants 4 or so */
  brotliQuality: number;
}

/**
 * Brotli or gzip, by the request's Accept-Encoding, for what the server writes itself: GraphQL JSON, index.html, the
 * web app's files that have no precompressed form. Not touched: a response already encoded (the precompressed files),
 * one marked `Cache-Control: no-transform` (file downloads, sent byte for byte with their length), types that do not
 * compress (images, archives), and WebSocket traffic, which never passes through Express.
 */
export function compressedResponses(settings: CompressionSettings): RequestHandler {
  return compression({
    threshold: settings.thresholdBytes,
    level: settings.gzipLevel,
    brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: settings.brotliQuality } },
  });
}
