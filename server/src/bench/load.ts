import http from 'node:http';
import zlib from 'node:zlib';
import WebSocket from 'ws';

/**
 * The clients' side of the scenarios (run in the suite's process, never in the process under test): a bounded pool,
 * percentiles, GraphQL over node:http with keep-alive, a multipart upload that sends one shared buffer without copying it, and a crowd
 * of sockets that notices each push from its first bytes (parsing 5,000 large pushes would make the clients the limit).
 */
export type Latencies = number[];

/** runs work(0..count-1), at most `parallel` at once */
export async function pool(count: number, parallel: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, count) }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface GraphqlReply {
  data?: any;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/**
 * Keep-alive connections for the clients' GraphQL requests, as many as there are clients at once. node:http rather than
 * fetch: measured in S4's race (06:15 UTC, 3 December), undici's fetch took 0.5–0.8 ms of the suite's CPU a request
 * against 0.27–0.35 ms here — on two shared cores the clients' own cost was as large as the server's.
 */
const agent = new http.Agent({ keepAlive: true });

export function graphql(
  url: string,
  token: string | null,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphqlReply> {
  const body = Buffer.from(JSON.stringify({ query, variables }));
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}/graphql`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': body.length,
          // what fetch asks for over plain HTTP (and a browser too), so the server compresses what it would compress
          'accept-encoding': 'gzip, deflate',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          try {
            const bytes = Buffer.concat(chunks);
            const encoding = res.headers['content-encoding'];
            const text = (
              encoding === 'gzip' ? zlib.gunzipSync(bytes) : encoding === 'deflate' ? zlib.inflateSync(bytes) : bytes
            ).toString();
            resolve(JSON.parse(text) as GraphqlReply);
          } catch (error) {
            reject(error as Error);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** POSTs one file as multipart/form-data, streaming `content` (a view of a shared buffer) as it is */
export function postFile(
  url: string,
  token: string,
  fileName: string,
  content: Buffer,
): Promise<{ status: number; body: string }> {
  const boundary = `----bench${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': head.length + content.length + tail.length,
          authorization: `Bearer ${token}`,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.write(head);
    req.write(content);
    req.end(tail);
  });
}

export interface Delivery {
  delivered: number;
  of: number;
  /** ms from `since` to the last receipt (NaN if not all arrived) */
  ms: number;
  note?: string;
}

/** `{"id":"2","type":"next"` — graphql-ws writes id and type first; the baseline frames are built the same way */
const NEXT = /^\{"id":"([^"]+)","type":"next","payload":\{"(errors|data)"/;
/** a refused subscribe (`error`) is small: kept whole, for the report */
const REFUSED = /^\{"id":"[^"]+","type":"error"/;

/** Many sockets held by the clients' process; `expect` resolves when every one of them got a push of one subscription. */
export class SocketCrowd {
  readonly sockets: WebSocket[] = [];
  errors = 0;
  reconnects = 0;
  /** the first refusals of a subscribe (graphql-ws `error` messages), as sent */
  readonly refusals: string[] = [];
  private onNext?: (socket: WebSocket, id: string) => void;

  /**
   * a graphql-transport-ws student: connection_init with the token, then one `subscribe` per entry once acknowledged;
   * like the exam page's client, it connects again (at most 5 times) when the server closes it for a late init (4408)
   */
  async student(
    wsUrl: string,
    token: string,
    subscriptions: { id: string; query: string; variables: Record<string, unknown> }[],
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.connect(
          wsUrl,
          'graphql-transport-ws',
          JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }),
          (socket) =>
            subscriptions.forEach((s) =>
              socket.send(
                JSON.stringify({ id: s.id, type: 'subscribe', payload: { query: s.query, variables: s.variables } }),
              ),
            ),
        );
      } catch (error) {
        if (!String((error as Error).message).includes(' 4408 ') || attempt === 5) throw error;
        this.reconnects++;
      }
    }
  }

  /** the baseline's socket: says hello and waits for the ack */
  hello(wsUrl: string): Promise<void> {
    return this.connect(wsUrl, undefined, '{"type":"hello"}', () => undefined);
  }

  private connect(
    wsUrl: string,
    protocol: string | undefined,
    hello: string,
    acknowledged: (socket: WebSocket) => void,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(wsUrl, protocol);
      let open = false;
      socket.once('error', reject);
      socket.once(
        'close',
        (code, reason) => open || reject(new Error(`socket closed before the ack: ${code} ${reason.toString()}`)),
      );
      socket.once('open', () => socket.send(hello));
      socket.on('message', (raw: Buffer) => {
        const head = raw.subarray(0, 64).toString();
        if (!open) {
          if (!head.includes('ack')) return reject(new Error(`expected an ack, got ${head}`));
          open = true;
          this.sockets.push(socket);
          acknowledged(socket);
          return resolve();
        }
        if (REFUSED.test(head)) {
          if (this.refusals.length < 3) this.refusals.push(raw.toString().slice(0, 300));
          return;
        }
        const next = NEXT.exec(head);
        if (next && (next[2] === 'errors' || head.includes('"data":null'))) this.errors++;
        else if (next) this.onNext?.(socket, next[1]);
      });
    });
  }

  /** waits until every socket got a push of subscription `id` (or the time is up, or the server died) */
  expect(id: string, since: number, timeoutMs: number, died: Promise<string>): Promise<Delivery> {
    return new Promise((resolve) => {
      const seen = new Set<WebSocket>();
      let lastAt = NaN;
      let settled = false;
      const finish = (note?: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.onNext = undefined;
        const all = seen.size === this.sockets.length;
        resolve({ delivered: seen.size, of: this.sockets.length, ms: all ? lastAt - since : NaN, note });
      };
      const timer = setTimeout(() => finish(`timed out after ${timeoutMs / 1000} s`), timeoutMs);
      void died.then(finish);
      this.onNext = (socket, frameId) => {
        if (frameId !== id || seen.has(socket)) return;
        seen.add(socket);
        lastAt = performance.now();
        if (seen.size === this.sockets.length) finish();
      };
    });
  }

  close() {
    for (const socket of this.sockets) socket.terminate();
  }
}
