import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import type { AnswerSendMode, DraftAfterEnd } from '../../core/graphql/generated';
import { I18n } from '../../core/i18n/i18n';

/**
 * How an answer was sent, or why it is still a draft after the end (issue 11): "sent automatically at the end",
 * "received within the grace", "draft, not sent (too short)". A Send by the student in time needs no mark.
 */
@Component({
  selector: 'app-send-mark',
  template: `
    @if (key(); as k) {
      <span class="send-mark" [class]="tone()" data-testid="send-mark" [attr.data-mark]="mark()">{{ i18n.t(k) }}</span>
    }
  `,
  styles: `
    .send-mark {
      display: inline-block;
      font: var(--mat-sys-label-medium);
      padding: 0 6px;
      border-radius: 4px;
      border: 1px solid currentColor;
      white-space: normal;
    }
    .sent {
      color: var(--mat-sys-primary);
    }
    .unsent {
      color: var(--mat-sys-error);
    }
    .waiting {
      color: var(--mat-sys-on-surface-variant);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SendMark {
  protected readonly i18n = inject(I18n);
  readonly mode = input<AnswerSendMode | null | undefined>(null);
  readonly draft = input<DraftAfterEnd | null | undefined>(null);

  protected readonly mark = computed(
    () => (this.mode() && this.mode() !== 'STUDENT' ? this.mode() : this.draft()) ?? null,
  );
  protected readonly key = computed(() => {
    switch (this.mark()) {
      case 'AUTOMATIC':
        return 'sendMark.AUTOMATIC' as const;
      case 'LATE_WITHIN_GRACE':
        return 'sendMark.LATE_WITHIN_GRACE' as const;
      case 'TOO_SHORT':
        return 'sendMark.TOO_SHORT' as const;
      case 'AUTO_SEND_OFF':
        return 'sendMark.AUTO_SEND_OFF' as const;
      case 'AWAITING_AUTO_SEND':
        return 'sendMark.AWAITING_AUTO_SEND' as const;
      default:
        return null;
    }
  });
  protected readonly tone = computed(() => {
    const mark = this.mark();
    return mark === 'AUTOMATIC' || mark === 'LATE_WITHIN_GRACE'
      ? 'sent'
      : mark === 'AWAITING_AUTO_SEND'
        ? 'waiting'
        : 'unsent';
  });
}
