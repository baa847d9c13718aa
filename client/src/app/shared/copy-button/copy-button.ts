import { Clipboard } from '@angular/cdk/clipboard';
import { LiveAnnouncer } from '@angular/cdk/a11y';
import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { I18n } from '../../core/i18n/i18n';

/** Copies a value (a platform login or password) and says so, to the eye and to a screen reader. */
@Component({
  selector: 'app-copy-button',
  imports: [MatButtonModule, MatIconModule],
  template: `
    <button mat-stroked-button type="button" (click)="copy()">
      <mat-icon [svgIcon]="copied() ? 'done' : 'copy'" aria-hidden="true" />
      {{ copied() ? i18n.t('platform.copied') : label() }}
    </button>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CopyButton {
  private readonly clipboard = inject(Clipboard);
  private readonly announcer = inject(LiveAnnouncer);
  protected readonly i18n = inject(I18n);

  readonly value = input.required<string>();
  readonly label = input.required<string>();

  protected readonly copied = signal(false);
  private timer: ReturnType<typeof setTimeout> | undefined;

  protected copy(): void {
    const ok = this.clipboard.copy(this.value());
    void this.announcer.announce(this.i18n.t(ok ? 'platform.copied' : 'platform.copyFailed'));
    this.copied.set(ok);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.copied.set(false), 2000);
  }
}
