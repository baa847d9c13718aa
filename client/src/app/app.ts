import { ChangeDetectionStrategy, Component, effect, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import {
  type Event,
  NavigationCancel,
  NavigationCancellationCode,
  NavigationEnd,
  NavigationError,
  Router,
  RouterOutlet,
} from '@angular/router';
import { filter, map, take } from 'rxjs';
import { Session } from './core/auth/session';
import { ServerClock } from './core/graphql/server-clock';

/**
 * The root: the router outlet, and the one place that reacts to a session the server stopped accepting. Until the
 * first page is in place (its lazy chunks arrive after the app starts) it keeps showing index.html's placeholder
 * (the same text; the `.boot` style is in index.html), so a slow phone never shows a blank screen in between.
 */
/** a navigation that put a page in place or failed; a guard's redirect (to the login page) is followed to its end */
const settled = (e: Event) =>
  e instanceof NavigationEnd ||
  e instanceof NavigationError ||
  (e instanceof NavigationCancel && e.code !== NavigationCancellationCode.Redirect);

@Component({
  selector: 'app-root',
  imports: [RouterOutlet],
  template: `
    @if (!firstPageShown()) {
      <div class="boot" role="status">
        <p lang="kk">Онлайн аттестаттау жүктелуде…</p>
        <p lang="ru">Онлайн-аттестация загружается…</p>
        <p lang="en">Online attestation is loading…</p>
      </div>
    }
    <router-outlet />
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class App {
  private readonly router = inject(Router);
  protected readonly firstPageShown = toSignal(
    this.router.events.pipe(
      filter(settled),
      take(1),
      map(() => true),
    ),
    { initialValue: false },
  );

  constructor() {
    const session = inject(Session);
    const router = this.router;
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
