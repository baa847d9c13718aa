import { ChangeDetectionStrategy, Component, effect, inject } from '@angular/core';
import { Router, RouterOutlet } from '@angular/router';
import { Session } from './core/auth/session';
import { ServerClock } from './core/graphql/server-clock';

/** The root: the router outlet, and the one place that reacts to a session the server stopped accepting. */
@Component({
  selector: 'app-root',
  imports: [RouterOutlet],
  template: '<router-outlet />',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class App {
  constructor() {
    const session = inject(Session);
    const router = inject(Router);
    const clock = inject(ServerClock);
    clock.sync().catch(() => undefined); // the countdowns fall back to the device clock until a sync succeeds
    effect(() => {
      if (session.expired()) {
        void router.navigate(['/login'], {
          queryParams: { returnUrl: router.url.startsWith('/login') ? null : router.url, expired: 1 },
        });
      }
    });
  }
}
