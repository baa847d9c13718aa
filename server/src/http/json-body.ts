import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';

/** the Content-Type values read here (what browsers, Apollo Client and fetch send); any other is body-parser's */
const PLAIN_TYPES = new Set(['application/json', 'application/json; charset=utf-8', 'application/json;charset=utf-8']);
const LENGTH = /^[1-9][0-9]{0,9}$/;
/** the whitespace JSON allows before a value (RFC 8259): space, tab, line feed, carriage return */
const JSON_WHITESPACE = /^[ \t\n\r]+/;

/** an error as body-parser passes it on (transportErrorHandler answers by its status and type) */
function bodyError(message: string, type: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { status: 400, statusCode: 400, expose: true, type, ...extra });
}

/**
 * `express.json({ limit })`, with the body of nearly every GraphQL request read without body-parser's per-request
 * machinery (type matching, charset parsing, raw-body's stream handling, iconv): a UTF-8 JSON body of a stated length
 * within the limit, not compressed, is read here with the same result — the same object, or the same error
 * (`entity.parse.failed`, `request.aborted`) for transportErrorHandler. Everything else (no or a zero length, over the
 * limit, chunked, Content-Encoding, another type or charset) goes to express.json as it is, refusals included.
 */
export function jsonBody(limitBytes: number): RequestHandler {
  const general = express.json({ limit: limitBytes });
  return (req: Request, res: Response, next: NextFunction) => {
    const headers = req.headers;
    const length = headers['content-length'];
    if (
      !PLAIN_TYPES.has(headers['content-type'] ?? '') ||
      headers['content-encoding'] !== undefined ||
      headers['transfer-encoding'] !== undefined ||
      length === undefined ||
      !LENGTH.test(length) ||
      Number(length) > limitBytes ||
      req.readableEnded
    )
      return general(req, res, next);
    readJson(req, Number(length), next);
  };
}

function readJson(req: Request, expected: number, next: NextFunction): void {
  const chunks: Buffer[] = [];
  let received = 0;
  let settled = false;
  const settle = (error?: Error) => {
    if (settled) return;
    settled = true;
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('error', onAborted);
    req.off('close', onClose);
    next(error);
  };
  const onData = (chunk: Buffer) => {
    chunks.push(chunk);
    received += chunk.length;
  };
  const onAborted = () => settle(bodyError('request aborted', 'request.aborted', { code: 'ECONNABORTED' }));
  const onClose = () => {
    if (!req.complete) onAborted();
  };
  const onEnd = () => {
    if (received !== expected)
      return settle(bodyError('request size did not match content length', 'request.size.invalid'));
    // as iconv-lite decodes UTF-8 for body-parser: malformed bytes become U+FFFD, a byte order mark is dropped
    let text = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received)).toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    try {
      req.body = parseStrict(text);
    } catch (error) {
      return settle(
        Object.assign(error as Error, {
          status: 400,
          statusCode: 400,
          expose: true,
          type: 'entity.parse.failed',
          body: text,
        }),
      );
    }
    settle();
  };
  req.body = undefined;
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('error', onAborted);
  req.on('close', onClose);
}

/** body-parser's strict JSON: an empty body is {}, anything else must be an object or an array */
function parseStrict(text: string): unknown {
  if (text.length === 0) return {};
  const first = text[0] === '{' ? '{' : text.replace(JSON_WHITESPACE, '')[0];
  if (first !== '{' && first !== '[')
    throw new SyntaxError(`Unexpected token ${first ?? 'end of input'} in JSON (strict)`);
  return JSON.parse(text) as unknown;
}
