import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';
import { I18n } from '../../../core/i18n/i18n';

export interface Tile {
  readonly id: string;
  readonly taken: boolean;
}

/**
 * «Билетті таңдау» (R4.1–R4.3): rectangular tiles in the server's (random, per-student) order,
 * without numbers; free ones green, taken ones striped — the stripes and the accessible name carry
 * the meaning, not the colour alone.
 */
@Component({
  selector: 'app-ticket-board',
  templateUrl: './ticket-board.html',
  styleUrl: './ticket-board.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TicketBoard {
  protected readonly i18n = inject(I18n);

  readonly tiles = input.required<readonly Tile[]>();
  /** a choice is on its way */
  readonly busy = input(false);
  readonly choose = output<Tile>();

  protected readonly free = computed(() => this.tiles().filter((t) => !t.taken).length);
}
