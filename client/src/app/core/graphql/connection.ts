import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import { type Client, createClient } from 'graphql-ws';
import { Session } from '../auth/session';

export type ConnectionState = 'idle' | 'connecting' | 'online' | 'offline';

/** the server closes a socket with this when its session ended (logout anywhere, revoked, expired): sign in again, do not reconnect */
const SIGNED_OUT_CLOSE_CODE = 4401;

/** client pings the server this often while a socket is open */
const KEEP_ALIVE_MS = 8_000;
/** a ping not answered within this is a dead socket: terminate it and reconnect */
const PONG_TIMEOUT_MS = 4_000;

function graphqlWsUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/graphql`;
}

/**
 * The graphql-ws client and what the page shows about it. graphql-ws reconnects by itself and
 * re-subscribes; `reconnects` counts each return after a loss so pages can re-read what they show.
 */
@Injectable({ providedIn: 'root' })
export class Connection {
  private readonly session = inject(Session);
  private readonly socketState = signal<ConnectionState>('idle');
  private readonly browserOnline = signal(typeof navigator === 'undefined' ? true : navigator.onLine);
  private pongTimer: ReturnType<typeof setTimeout> | undefined;

  /** what the page shows: the browser's own offline flag wins over a socket that has not noticed yet */
  readonly state = computed<ConnectionState>(() =>
    !this.browserOnline() && this.socketState() !== 'idle' ? 'offline' : this.socketState(),
  );
  readonly reconnects = signal(0);

  readonly client: Client = createClient({
    url: graphqlWsUrl,
    connectionParams: () => {
      const token = this.session.token();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    lazy: true,
    lazyCloseTimeout: 2_000,
    keepAlive: KEEP_ALIVE_MS,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    // 0.5 s, 1 s, 2 s … up to 8 s, with jitter so a room full of students does not reconnect in step
    retryWait: (retries) =>
      new Promise((resolve) => setTimeout(resolve, Math.min(8_000, 500 * 2 ** retries) + Math.random() * 500)),
    on: {
      connecting: (isRetry) => this.socketState.set(isRetry ? 'offline' : 'connecting'),
      connected: (_socket, _payload, wasRetry) => {
        this.socketState.set('online');
        if (wasRetry) this.reconnects.update((n) => n + 1);
      },
      closed: (event) => {
        clearTimeout(this.pongTimer);
        const code = (event as CloseEvent | undefined)?.code;
        if (code === SIGNED_OUT_CLOSE_CODE) {
          // graphql-ws does not retry 4401; the shell sends the user to the login page
          this.socketState.set('idle');
          this.session.end('expired');
          return;
        }
        this.socketState.set(code === 1000 ? 'idle' : 'offline');
      },
      ping: (received) => {
        if (received) return;
        this.pongTimer = setTimeout(() => this.client.terminate(), PONG_TIMEOUT_MS);
      },
      pong: (received) => {
        if (received) clearTimeout(this.pongTimer);
      },
    },
  });

  constructor() {
    const online = () => this.browserOnline.set(true);
    const offline = () => this.browserOnline.set(false);
    window.addEventListener('online', online);
    window.addEventListener('offline', offline);
    inject(DestroyRef).onDestroy(() => {
      window.removeEventListener('online', online);
      window.removeEventListener('offline', offline);
      clearTimeout(this.pongTimer);
      void this.client.dispose();
    });
  }

  /** Drops the socket so the next subscription opens a new one with the current token. */
  restart(): void {
    this.client.terminate();
    this.socketState.set('idle');
  }
}
