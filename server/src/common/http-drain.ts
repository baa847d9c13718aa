import type http from 'node:http';

/**
 * Zero-drop restarts of one HTTP server. While draining, every response asks its client to close the
 * connection (`Connection: close`), so no client sends a request on a keep-alive socket that the server
 * is about to close (the cause of resets); then the listener and the idle sockets close, and requests
 * still running after the grace are cut.
 */
export class HttpDrain {
  private draining = false;
  /** responses not yet finished */
  private readonly pending = new Set<http.ServerResponse>();

  constructor(private readonly server: http.Server) {
    // first listener, so the header is there before any handler can answer
    server.prependListener('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
      if (this.draining) res.setHeader('Connection', 'close');
      this.pending.add(res);
      res.once('close', () => this.pending.delete(res));
    });
  }

  /** from now on every response, including those of requests already running, ends its connection */
  begin(): void {
    this.draining = true;
    for (const res of this.pending) if (!res.headersSent) res.setHeader('Connection', 'close');
  }

  /**
   * Closes the listener and the idle sockets, waits up to graceMs for the requests in flight, then cuts
   * every connection left (`cutRest` ends what the server does not track, e.g. upgraded WebSockets).
   * Resolves with the number of requests that were cut.
   */
  async close(graceMs: number, cutRest: () => void): Promise<number> {
    this.begin();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const inTime = await Promise.race([
      closed.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), graceMs))),
    ]);
    clearTimeout(timer);
    if (inTime) return 0;
    const cut = this.pending.size;
    cutRest();
    this.server.closeAllConnections();
    await closed;
    return cut;
  }
}
