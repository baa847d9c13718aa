import { effect, inject, untracked } from '@angular/core';
import { Apollo } from 'apollo-angular';
import { Connection } from './connection';
import { ServerClock } from './server-clock';

/**
 * The one reconnect hook of the app: when the WebSocket comes back after a loss, graphql-ws has re-subscribed by
 * itself, but pushes sent while it was down are lost — so every watched query (the exam page, the live room, the
 * grading queue …) re-reads from the server into the cache, and the server's clock is measured again.
 * Runs in an injection context (an environment initializer: provideGraphql).
 */
export function refetchOnReconnect(): void {
  const connection = inject(Connection);
  const apollo = inject(Apollo);
  const clock = inject(ServerClock);
  let seen = connection.reconnects();
  effect(() => {
    const reconnects = connection.reconnects();
    if (reconnects === seen) return;
    seen = reconnects;
    untracked(() => {
      // offline again, or a refused re-read: the page keeps what it shows and the next reconnect tries again
      void apollo.client.refetchObservableQueries().catch(() => undefined);
      void clock.sync().catch(() => undefined);
    });
  });
}
