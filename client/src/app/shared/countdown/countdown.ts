import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
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

/** The countdown to the start, then to the end, on the server's clock (the caller passes `now`). */
@Component({
  selector: 'app-countdown',
  imports: [MatIconModule],
  template: `
    <div class="countdown" role="timer" [class]="phase()">
      <mat-icon [svgIcon]="phase() === 'ended' ? 'lock' : 'schedule'" aria-hidden="true" />
      @switch (phase()) {
        @case ('upcoming') {
          <span>{{ i18n.t('countdown.toStart') }}</span>
          <strong class="clock">{{ remaining() }}</strong>
        }
        @case ('running') {
          <span>{{ i18n.t('countdown.toEnd') }}</span>
          <strong class="clock">{{ remaining() }}</strong>
        }
        @case ('ended') {
          <strong>{{ i18n.t('countdown.ended') }}</strong>
        }
      }
    </div>
  `,
  styles: `
    .countdown {
      display: inline-flex;
      align-items: center;
      gap: 8px;
      padding: 6px 12px;
      border-radius: 8px;
      font: var(--mat-sys-title-medium);
      background: var(--mat-sys-surface-container-high);
    }
    .running {
      background: var(--mat-sys-primary-container);
      color: var(--mat-sys-on-primary-container);
    }
    .ended {
      background: var(--mat-sys-surface-container-highest);
    }
    .clock {
      font-variant-numeric: tabular-nums;
      letter-spacing: 0.02em;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Countdown {
  protected readonly i18n = inject(I18n);

  readonly startsAt = input.required<number>();
  readonly endsAt = input.required<number>();
  readonly now = input.required<number>();

  readonly phase = computed<ExamPhase>(() =>
    examPhase({ startsAt: this.startsAt(), endsAt: this.endsAt() }, this.now()),
  );

  protected readonly remaining = computed(() => {
    const target = this.phase() === 'upcoming' ? this.startsAt() : this.endsAt();
    return formatDuration(target - this.now(), (n) => this.i18n.t('countdown.days', { n }));
  });
}
