import { afterNextRender, ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { type ExamPhase, examPhase } from '@rules';
import { I18n } from '../../core/i18n/i18n';

/** "1 day 02:03:04" style: hours, minutes and seconds always, days only when there are some. */
export function formatDuration(ms: number, days: (n: number) => string): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const d = Math.floor(total / 86_400);
  const pad = (n: number) => String(n).padStart(2, '0');
  const clock = `${pad(Math.floor((total % 86_400) / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
  return d > 0 ? `${days(d)} ${clock}` : clock;
}

/** How near the end is: the countdown changes its look and speaks at these moments, not every second. */
export type Urgency = 'calm' | 'soon' | 'last';

/** the first warning: five minutes left */
export const SOON_MS = 5 * 60_000;
/** the last warning: one minute left */
export const LAST_MS = 60_000;

export function urgencyOf(phase: ExamPhase, remainingMs: number): Urgency {
  if (phase !== 'running') return 'calm';
  if (remainingMs <= LAST_MS) return 'last';
  return remainingMs <= SOON_MS ? 'soon' : 'calm';
}

/**
 * The countdown to the start, then to the end, on the server's clock (the caller passes `now`). Five minutes and
 * one minute before the end it changes its look (border and words too, so forced colours keep it) and says so to
 * screen readers: politely at five minutes, assertively at one; the ticking itself is a silent timer.
 */
@Component({
  selector: 'app-countdown',
  imports: [MatIconModule],
  template: `
    <div
      class="countdown"
      role="timer"
      [class]="phase() + ' ' + urgency()"
      [attr.data-urgency]="urgency()"
      data-testid="countdown"
    >
      <mat-icon [svgIcon]="icon()" aria-hidden="true" />
      @switch (phase()) {
        @case ('upcoming') {
          <span>{{ i18n.t('countdown.toStart') }}</span>
          <strong class="clock">{{ remaining() }}</strong>
        }
        @case ('running') {
          <span>{{ i18n.t('countdown.toEnd') }}</span>
          <strong class="clock">{{ remaining() }}</strong>
          @if (urgency() !== 'calm') {
            <span class="warning" data-testid="countdown-warning">{{
              i18n.t(urgency() === 'last' ? 'countdown.last' : 'countdown.soon')
            }}</span>
          }
        }
        @case ('ended') {
          <strong>{{ i18n.t('countdown.ended') }}</strong>
        }
      }
    </div>
    <span class="visually-hidden" aria-live="polite" data-testid="countdown-polite">{{ politeNews() }}</span>
    <span class="visually-hidden" aria-live="assertive" data-testid="countdown-assertive">{{ urgentNews() }}</span>
  `,
  styles: `
    :host {
      display: inline-block;
    }
    .countdown {
      display: inline-flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 4px 8px;
      padding: 6px 12px;
      border: 1px solid transparent;
      border-radius: 8px;
      font: var(--mat-sys-title-medium);
      background: var(--mat-sys-surface-container-high);
    }
    .running {
      background: var(--mat-sys-primary-container);
      color: var(--mat-sys-on-primary-container);
    }
    .running.soon {
      padding: 4px 10px;
      border: 3px solid var(--mat-sys-tertiary);
      background: var(--mat-sys-tertiary-container);
      color: var(--mat-sys-on-tertiary-container);
    }
    .running.last {
      padding: 2px 8px;
      border: 5px double var(--mat-sys-error);
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
      font-weight: 700;
    }
    .warning {
      font: var(--mat-sys-label-large);
      font-weight: inherit;
    }
    .ended {
      background: var(--mat-sys-surface-container-highest);
    }
    .clock {
      font-variant-numeric: tabular-nums;
      letter-spacing: 0.02em;
    }
    /* forced colours drop backgrounds: the borders and the words carry the warning */
    @media (forced-colors: active) {
      .countdown {
        border-color: CanvasText;
      }
      .running.soon {
        border: 3px solid CanvasText;
      }
      .running.last {
        border: 5px double CanvasText;
      }
      .warning {
        text-decoration: underline;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Countdown {
  protected readonly i18n = inject(I18n);

  readonly startsAt = input.required<number>();
  readonly endsAt = input.required<number>();
  readonly now = input.required<number>();
  /** the student's own clock warns near the end; staff's room countdown does not */
  readonly warn = input(false);

  readonly phase = computed<ExamPhase>(() =>
    examPhase({ startsAt: this.startsAt(), endsAt: this.endsAt() }, this.now()),
  );

  readonly urgency = computed<Urgency>(() =>
    this.warn() ? urgencyOf(this.phase(), this.endsAt() - this.now()) : 'calm',
  );

  protected readonly icon = computed(() => {
    if (this.phase() === 'ended') return 'lock';
    const urgency = this.urgency();
    return urgency === 'last' ? 'error' : urgency === 'soon' ? 'wait' : 'schedule';
  });

  protected readonly remaining = computed(() => {
    const target = this.phase() === 'upcoming' ? this.startsAt() : this.endsAt();
    return formatDuration(target - this.now(), (n) => this.i18n.t('countdown.days', { n }));
  });

  /** the live regions are in the page before their words change, or a screen reader may not speak them */
  private readonly rendered = signal(false);
  protected readonly politeNews = computed(() =>
    this.rendered() && this.urgency() === 'soon' ? this.i18n.t('countdown.soonAnnounce') : '',
  );
  protected readonly urgentNews = computed(() =>
    this.rendered() && this.urgency() === 'last' ? this.i18n.t('countdown.lastAnnounce') : '',
  );

  constructor() {
    afterNextRender(() => setTimeout(() => this.rendered.set(true), 100));
  }
}
