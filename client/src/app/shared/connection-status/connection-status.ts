import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { Connection } from '../../core/graphql/connection';
import { I18n } from '../../core/i18n/i18n';

/** The live connection as the student sees it on the exam page. */
@Component({
  selector: 'app-connection-status',
  imports: [MatIconModule],
  template: `
    <div class="status" [class]="shown()" role="status" data-testid="connection" [attr.data-state]="shown()">
      <mat-icon [svgIcon]="shown() === 'offline' ? 'offline' : 'online'" aria-hidden="true" />
      <span class="label">{{ i18n.t(label()) }}</span>
    </div>
  `,
  styles: `
    .status {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      padding: 4px 10px;
      border-radius: 16px;
      font: var(--mat-sys-label-large);
      background: var(--mat-sys-surface-container-high);
    }
    .online {
      color: var(--mat-sys-on-surface);
    }
    .offline {
      border: 2px solid var(--mat-sys-error);
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    /* a phone's clock bar keeps one line while all is well: the icon alone says online (the words stay for screen readers) */
    @media (max-width: 599px) {
      .online .label {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip: rect(0 0 0 0);
        white-space: nowrap;
      }
    }
    /* forced colours drop backgrounds: the border tells offline apart */
    @media (forced-colors: active) {
      .status {
        border: 1px solid CanvasText;
      }
      .offline {
        border: 3px dashed CanvasText;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ConnectionStatus {
  protected readonly i18n = inject(I18n);
  private readonly connection = inject(Connection);

  /** an idle socket (no subscription yet) reads as connecting: the page always wants one */
  protected readonly shown = computed(() => {
    const state = this.connection.state();
    return state === 'idle' ? 'connecting' : state;
  });
  protected readonly label = computed(() => `connection.${this.shown()}` as const);
}
