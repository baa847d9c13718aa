import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { ExecutionArgs, ExecutionResult } from 'graphql';
import {
  CloseCode,
  handleProtocols,
  makeServer,
  MessageType,
  type Context as WsContext,
  type ServerOptions,
  type SubscribePayload,
} from 'graphql-ws';
import type { WebSocket, WebSocketServer } from 'ws';
import { logger } from '../common/logger';
import { PreSerialized } from '../common/shared-push';

/** frames a turn of the event loop sends at once before the sockets it writes to are corked (see `cork`) */
const CORK_AFTER = 32;

/**
 * A `PreSerialized` value becomes a marker in the frame's JSON (its `toJSON`, so graphql-ws's stringify needs no replacer
 * function called for every value of every frame), and `framed` puts its bytes in the marker's place: stringify and
 * send run in one synchronous step of graphql-ws, so the values serialized last are the frame's own. One marker per
 * process that no client can guess (the envelope holds nothing of theirs but the subscription id anyway).
 */
const marker = `\u0000${randomUUID()}`;
const markerJson = JSON.stringify(marker);
let pending: PreSerialized[] = [];
PreSerialized.serializeAs = (value) => {
  pending.push(value);
  return marker;
};

/** envelopes kept as bytes (see `envelopeAround`), and the longest one kept */
const ENVELOPES_KEPT = 64;
const ENVELOPE_KEPT_MAX = 1024;
const envelopes = new Map<string, Buffer[]>();

/**
 * The bytes around the markers of a frame's envelope: a fan-out's frames to one subscription id share one envelope
 * text, so its bytes are made once, not split and encoded for each socket. The last ENVELOPES_KEPT envelopes of up to
 * ENVELOPE_KEPT_MAX characters are kept, by their whole text: a kept one only ever serves a frame of the same text.
 */
function envelopeAround(data: string): Buffer[] {
  const known = envelopes.get(data);
  if (known) return known;
  const heads = data.split(markerJson).map((piece) => Buffer.from(piece));
  if (data.length <= ENVELOPE_KEPT_MAX) {
    if (envelopes.size >= ENVELOPES_KEPT) envelopes.delete(envelopes.keys().next().value!);
    envelopes.set(data, heads);
  }
  return heads;
}

/** operation texts kept for sharing (see `interned`), and the longest one kept */
const TEXTS_KEPT = 200;
const TEXT_KEPT_MAX = 16 * 1024;
const texts = new Map<string, string>();

/**
 * One string for each operation text the sockets send: graphql-ws keeps each subscription's payload (its query text)
 * for the subscription's life, and thousands of pages send the same few texts (graphql-ws.ts puts this in the payload
 * it is given; a JSON reviver would do it too, but JSON.parse with a reviver recurses, and a deeply nested message
 * would overflow the stack). The last TEXTS_KEPT texts of up to TEXT_KEPT_MAX characters are kept (at most 3.2 MB);
 * any other text is used as is.
 */
export function interned(text: string): string {
  if (text.length > TEXT_KEPT_MAX) return text;
  const known = texts.get(text);
  if (known !== undefined) return known;
  if (texts.size >= TEXTS_KEPT) texts.delete(texts.keys().next().value!);
  texts.set(text, text);
  return text;
}

/** graphql-ws's payload of a `next` message when its `onNext` hook answers nothing */
function withErrorsAsJson({ errors, ...resultWithoutErrors }: ExecutionResult) {
  return { ...resultWithoutErrors, ...(errors ? { errors: errors.map((e) => e.toJSON()) } : {}) };
}

/** what graphql-ws's server is given of a socket here (the `extra` of its context) */
export interface SocketExtra {
  socket: WebSocket;
}

/**
 * Sends one subscription's `next` message as graphql-ws's own loop would (its `onNext` hook, then the same message),
 * without that loop: shared-push.ts's driven subscriptions call it for each push. `written` is called once the socket
 * has taken the frame (the socket's back-pressure: the subscription's next push waits for it), or with the error.
 */
export type SendNext = (
  /** graphql-ws's context of the socket (its types' parameters are the server's) */
  ctx: WsContext<never, never>,
  id: string,
  payload: SubscribePayload,
  args: ExecutionArgs,
  result: ExecutionResult,
  written: (error?: Error | null) => void,
) => void;

/**
 * graphql-ws over `ws` (in place of graphql-ws/use/ws): the same protocol and lifecycle, plus
 * - frames carrying `PreSerialized` values: the envelope is serialized with a marker in their place, then their bytes
 *   are copied in (stringify and send run in one synchronous step of graphql-ws, so the values are the frame's own);
 * - close reasons that never carry an error's message (it may hold SQL) to the client;
 * - a socket's errors are logged by graphql-ws.ts (logSocketErrors), where ws closes it;
 * - a fan-out's frames written in bursts, once a turn (see `cork`);
 * - no ping timer per socket: the server's one heartbeat (graphql-ws.ts) pings every socket and closes silent ones.
 */
export function serveGraphqlWs<P extends Record<string, unknown>, E extends Record<PropertyKey, unknown>>(
  options: ServerOptions<P, E & SocketExtra>,
  wsServer: WebSocketServer,
  /** what a socket keeps of its upgrade request (the request itself is not kept: thousands of sockets hold their pages open) */
  extraOf: (request: IncomingMessage) => E,
): { dispose(): Promise<void>; sendNext: SendNext } {
  /** the frame as sent: the envelope as is, or with every marker replaced by its value's bytes, in order */
  const framed = (data: string): string | Buffer => {
    if (!pending.length) return data;
    const heads = envelopeAround(data);
    // this frame's values are the last ones serialized (a stringify that failed may have left some before them)
    const count = heads.length - 1;
    const values = pending.length === count ? pending : pending.slice(pending.length - count);
    pending = [];
    if (count === 0) return data;
    let length = 0;
    for (const head of heads) length += head.length;
    for (const value of values) length += value.byteLength;
    // one buffer, each value's bytes copied straight into it
    const frame = Buffer.allocUnsafe(length);
    let offset = 0;
    for (let i = 0; i < heads.length; i++) {
      frame.set(heads[i], offset);
      offset += heads[i].length;
      if (i < count) offset = values[i].writeInto(frame, offset);
    }
    return frame;
  };
  /**
   * A fan-out's frames are written together: once a turn of the event loop has sent CORK_AFTER frames, each further
   * socket written to is corked until the turn is over. A fan-out's sends otherwise interleave with building the next
   * pushes, and each lone write to a socket costs the kernel far more (a wake-up of the reader each time) than writes
   * in a burst. A quiet turn's frames go out at once, and corking keeps every socket's frames in order (a close frame
   * after a push still follows it).
   */
  let sentThisTurn = 0;
  const corked = new Set<Socket>();
  const turnOver = () => {
    sentThisTurn = 0;
    for (const raw of corked) raw.uncork();
    corked.clear();
  };
  const cork = (socket: WebSocket) => {
    if (sentThisTurn++ === 0) setImmediate(turnOver);
    if (sentThisTurn <= CORK_AFTER) return;
    const raw = (socket as unknown as { _socket?: Socket })._socket; // ws's TCP socket (not part of its typed API)
    if (!raw || corked.has(raw)) return;
    raw.cork();
    corked.add(raw);
  };
  /** one frame to the socket; `written` once the socket has taken it (at once when it is no longer open) */
  const write = (socket: WebSocket, data: string, written: (error?: Error | null) => void) => {
    const frame = framed(data);
    if (socket.readyState !== socket.OPEN) return written();
    cork(socket);
    // a text frame, whether the JSON is a string or bytes
    socket.send(frame, { binary: false }, written);
  };
  /** graphql-ws's `emit.next`: the hook's result, or the result with its errors as JSON, in a `next` message */
  const sendNext: SendNext = (ctx, id, payload, args, result, written) => {
    const send = (maybeResult: unknown) => {
      const payload = maybeResult || withErrorsAsJson(result);
      write((ctx.extra as SocketExtra).socket, JSON.stringify({ id, type: MessageType.Next, payload }), written);
    };
    const maybeResult = options.onNext?.(ctx as never, id, payload, args, result);
    if (maybeResult instanceof Promise) maybeResult.then(send, written);
    else send(maybeResult);
  };
  const server = makeServer<P, E & SocketExtra>(options);
  wsServer.options.handleProtocols = handleProtocols;

  const internalError = (socket: WebSocket, error: unknown, what: string) => {
    logger.error({ err: error }, `websocket: ${what}`);
    socket.close(CloseCode.InternalServerError, 'Internal server error');
  };
  wsServer.on('error', (error) => logger.error({ err: error }, 'websocket: server error'));
  wsServer.on('connection', (socket, request) => {
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => write(socket, data, (error) => (error ? reject(error) : resolve()))),
        close: (code, reason) => socket.close(code, reason),
        // not an async listener: a subscribe message's handling lasts as long as the subscription, and the listener's
        // frame would keep the message's bytes (a kilobyte a socket) for all that time
        onMessage: (handle) =>
          socket.on('message', (data) =>
            handle(String(data)).catch((error: unknown) =>
              internalError(socket, error, 'a message could not be handled'),
            ),
          ),
      },
      { ...extraOf(request), socket },
    );
    socket.once('close', (code, reason) => void closed(code, String(reason)));
  });
  return {
    sendNext,
    dispose: async () => {
      for (const client of wsServer.clients) client.close(1001, 'Going away');
      wsServer.removeAllListeners();
      await new Promise<void>((resolve, reject) => wsServer.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
