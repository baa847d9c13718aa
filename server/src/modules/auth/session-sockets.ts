import type { WebSocket } from 'ws';
import { logger } from '../../common/logger';
import type { RedisConnections } from '../../common/redis';

/** The close code for "this session is over": the web app goes to the login page instead of reconnecting. */
const SIGNED_OUT_CLOSE_CODE = 4401;

/** setTimeout's ceiling; a later expiry is checked again when it fires */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The WebSockets opened with each session's token. When a session ends — logout on any instance
 * (heard through Redis), or its expiry — its sockets are closed at once with 4401, which ends
 * every subscription on them.
 */
/** the Redis channel on which a logout tells every instance to close that session's sockets */
export const revocationChannel = (prefix: string) => `${prefix}:session-revoked`;

export class SessionSockets {
  private readonly bySession = new Map<string, Set<WebSocket>>();
  private readonly channel: string;
  /** sessions revoked here whose announcement Redis has not yet taken: their sockets close once it has */
  private readonly revoking = new Set<string>();
  private readonly onMessage = (channel: string, sessionId: string) => {
    if (channel === this.channel && !this.revoking.has(sessionId)) this.closeLocal(sessionId);
  };

  constructor(
    private readonly redis: Pick<RedisConnections, 'publish' | 'subscribe'> | undefined,
    prefix: string,
  ) {
    this.channel = revocationChannel(prefix);
    // connectRedis subscribes to the channel on every (re)connect
    redis?.subscribe.on('message', this.onMessage);
  }

  /** Registers a socket opened with a valid session until it closes or the session expires. */
  track(sessionId: string, expiresAt: Date, socket: WebSocket): void {
    let sockets = this.bySession.get(sessionId);
    if (!sockets) this.bySession.set(sessionId, (sockets = new Set()));
    sockets.add(socket);
    const at = expiresAt.getTime();
    this.expiries.set(socket, at);
    if (at < this.timerAt) this.expireAt(at);
    socket.once('close', () => {
      this.expiries.delete(socket);
      sockets.delete(socket);
      if (!sockets.size && this.bySession.get(sessionId) === sockets) this.bySession.delete(sessionId);
    });
  }

  /**
   * Every socket's session expiry, and one timer for the earliest: a timer per socket (two closures and a timeout
   * each) is memory thousands of open pages hold for hours.
   */
  private readonly expiries = new Map<WebSocket, number>();
  private timer?: NodeJS.Timeout;
  private timerAt = Infinity;

  private expireAt(at: number): void {
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => this.expire(), Math.min(Math.max(0, at - Date.now()), MAX_TIMER_MS)).unref();
  }

  /** closes the sockets whose session has expired; the timer is set again for the next expiry */
  private expire(): void {
    this.timerAt = Infinity;
    this.timer = undefined;
    const now = Date.now();
    let next = Infinity;
    for (const [socket, at] of this.expiries) {
      if (at <= now) {
        this.expiries.delete(socket);
        socket.close(SIGNED_OUT_CLOSE_CODE, 'Session expired');
      } else if (at < next) next = at;
    }
    if (next < Infinity) this.expireAt(next);
  }

  /**
   * A session was revoked here: tell the others (who also forget it in their session caches), then close its sockets
   * on this instance; resolves once Redis has taken the message, or refused it (logged). The sockets close after that,
   * in a later turn, so the answer to a logout sent over one of them still goes out first; the message coming back
   * from Redis meanwhile does not close them early.
   */
  async revoked(sessionId: string): Promise<void> {
    this.revoking.add(sessionId);
    try {
      await this.redis?.publish.publish(this.channel, sessionId);
    } catch (error) {
      logger.error(
        { err: error },
        'sessions: could not announce a logout to other instances; its sockets there stay open (their new operations are refused)',
      );
    } finally {
      this.revoking.delete(sessionId);
      this.closeLocal(sessionId);
    }
  }

  close(): void {
    clearTimeout(this.timer);
    this.redis?.subscribe.off('message', this.onMessage);
  }

  private closeLocal(sessionId: string): void {
    const sockets = this.bySession.get(sessionId);
    if (!sockets) return;
    // after the current turn, so an answer to the logout itself (if it came over this socket) goes out first
    setImmediate(() => {
      for (const socket of sockets) socket.close(SIGNED_OUT_CLOSE_CODE, 'Signed out');
    });
  }
}
