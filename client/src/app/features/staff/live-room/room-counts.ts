import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import type { ExamFormat, RoomSittingFragment } from '../../../core/graphql/generated';
import { I18n } from '../../../core/i18n/i18n';
import type { MessageKey } from '../../../core/i18n/kk';

export interface RoomTally {
  readonly enrolled: number;
  readonly online: number;
  readonly withTicket: number;
  readonly viewed: number;
  readonly sent: number;
  readonly graded: number;
}

type Counted = Pick<RoomSittingFragment, 'online' | 'ticketNumber' | 'questionsViewedAt' | 'answerStatus' | 'grade'>;

/** The counts at the top of the live room, from the rows as they are now. */
export function roomTally(sittings: readonly Counted[]): RoomTally {
  let online = 0,
    withTicket = 0,
    viewed = 0,
    sent = 0,
    graded = 0;
  for (const s of sittings) {
    if (s.online) online++;
    if (s.ticketNumber != null) withTicket++;
    if (s.questionsViewedAt) viewed++;
    if (s.answerStatus === 'SUBMITTED') sent++;
    if (s.grade) graded++;
  }
  return { enrolled: sittings.length, online, withTicket, viewed, sent, graded };
}

/** Online, have a ticket, viewed, sent — of how many enrolled; ticket counts only at ticket exams. */
@Component({
  selector: 'app-room-counts',
  template: `
    <dl class="counts" data-testid="room-counts">
      @for (item of items(); track item.key) {
        <div class="count" [attr.data-count]="item.key">
          <dt>{{ i18n.t(item.label) }}</dt>
          <dd>
            <strong>{{ i18n.number(item.value) }}</strong><span class="of"> / {{ i18n.number(tally().enrolled) }}</span>
          </dd>
        </div>
      }
    </dl>
  `,
  styles: `
    .counts {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(140px, 1fr));
      gap: 12px;
      margin: 0 0 16px;
    }
    .count {
      padding: 10px 14px;
      border-radius: 12px;
      background: var(--mat-sys-surface-container);
    }
    .count[data-count='online'] {
      background: #c8e6c9;
      color: #0f3d12;
    }
    dt {
      font: var(--mat-sys-label-large);
    }
    dd {
      margin: 4px 0 0;
      font: var(--mat-sys-headline-small);
    }
    .of {
      font: var(--mat-sys-body-medium);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RoomCounts {
  protected readonly i18n = inject(I18n);

  readonly sittings = input.required<readonly Counted[]>();
  readonly format = input.required<ExamFormat>();

  protected readonly tally = computed(() => roomTally(this.sittings()));
  protected readonly items = computed(() => {
    const t = this.tally();
    const items: { key: string; label: MessageKey; value: number }[] = [
      { key: 'online', label: 'room.countOnline', value: t.online },
    ];
    if (this.format() === 'TICKETS') {
      items.push(
        { key: 'ticket', label: 'room.countTicket', value: t.withTicket },
        { key: 'viewed', label: 'room.countViewed', value: t.viewed },
      );
    }
    items.push(
      { key: 'sent', label: 'room.countSent', value: t.sent },
      { key: 'graded', label: 'room.countGraded', value: t.graded },
    );
    return items;
  });
}
