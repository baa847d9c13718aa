import { computed, DestroyRef, inject, Injectable, Injector, signal } from '@angular/core';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { ServerClockDocument } from './generated';

const DEFAULT_TIME_ZONE = 'Asia/Almaty';

/**
 * The server's clock and the university's time zone. Countdowns and the rules that depend on
 * "now" read `now()`, the device clock corrected by the offset measured against `serverTime`,
 * so a wrong device clock cannot open or close anything early.
 */
@Injectable({ providedIn: 'root' })
export class ServerClock {
  private readonly injector = inject(Injector);
  private readonly offsetMs = signal(0);
  private readonly deviceNow = signal(Date.now());
  private timer: ReturnType<typeof setTimeout> | undefined;

  readonly timeZone = signal(DEFAULT_TIME_ZONE);
  readonly synced = signal(false);
  /** milliseconds since the epoch on the server's clock, ticking each second */
  readonly now = computed(() => this.deviceNow() + this.offsetMs());

  /** this very millisecond on the server's clock, for timestamps (`now()` only changes once a second) */
  exactNow(): number {
    return Date.now() + this.offsetMs();
  }

  constructor() {
    this.tick();
    inject(DestroyRef).onDestroy(() => clearTimeout(this.timer));
  }

  /** Measures the offset against the server (half the round trip counted as transit). */
  async sync(): Promise<void> {
    const apollo = this.injector.get(Apollo);
    const sentAt = Date.now();
    const { data } = await firstValueFrom(apollo.query({ query: ServerClockDocument, fetchPolicy: 'network-only' }));
    const receivedAt = Date.now();
    if (!data) return;
    this.offsetMs.set(Date.parse(data.serverTime) - (sentAt + receivedAt) / 2);
    this.timeZone.set(data.timeZone);
    this.synced.set(true);
    this.deviceNow.set(Date.now());
  }

  /** ticks on the server's whole seconds, so every countdown on the page changes together */
  private tick(): void {
    this.deviceNow.set(Date.now());
    const untilNextSecond = 1000 - (this.now() % 1000);
    this.timer = setTimeout(() => this.tick(), untilNextSecond + 5);
  }
}
