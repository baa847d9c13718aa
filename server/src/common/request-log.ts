import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { logger } from './logger';

declare module 'http' {
  interface IncomingMessage {
    /** the request's id: the proxy's x-request-id, or a fresh UUID (also sent back as x-request-id) */
    id: string;
  }
}

/**
 * Names every request (x-request-id, kept from a proxy or made here) and logs one JSON line when it ends — "request
 * completed", or "request errored" with the error for a 5xx — as pino-http did, without its per-request child logger:
 * lines written while serving carry the request's id through the log context (logger.ts). `quiet` paths are not logged.
 */
export function requestLogging(quiet: (path: string) => boolean): RequestHandler {
  return (req, res, next) => {
    const given = req.headers['x-request-id'];
    const id = (typeof given === 'string' && given.slice(0, 100)) || randomUUID();
    req.id = id;
    res.setHeader('x-request-id', id);
    if (!logger.isLevelEnabled('info') || quiet(req.url)) return next();
    const started = Date.now();
    const ended = (error?: Error) => {
      res.off('close', ended);
      res.off('finish', ended);
      res.off('error', ended);
      const line = {
        req: { id, method: req.method, url: String(req.originalUrl ?? req.url).split('?')[0] },
        res: { statusCode: res.statusCode, headers: res.getHeaders() },
        responseTime: Date.now() - started,
        ...(req.apiClient ? { apiClient: req.apiClient } : {}),
      };
      if (error || res.statusCode >= 500)
        logger.info(
          { ...line, err: error ?? new Error(`failed with status code ${res.statusCode}`) },
          'request errored',
        );
      else logger.info(line, 'request completed');
    };
    res.on('close', ended);
    res.on('finish', ended);
    res.on('error', ended);
    next();
  };
}
