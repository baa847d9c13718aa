import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { I18n, type Lang, LANGS } from '../i18n/i18n';

/** Қазақша / Русский / English, switched at once and remembered. */
@Component({
  selector: 'app-language-switch',
  imports: [MatButtonToggleModule],
  template: `
    <mat-button-toggle-group
      hideSingleSelectionIndicator
      [value]="i18n.lang()"
      (change)="choose($event.value)"
      [attr.aria-label]="i18n.t('lang.choose')"
    >
      @for (lang of langs; track lang) {
        <mat-button-toggle [value]="lang" [attr.lang]="lang">{{ i18n.t(labelKey(lang)) }}</mat-button-toggle>
      }
    </mat-button-toggle-group>
  `,
  styles: `
    mat-button-toggle-group {
      --mat-button-toggle-height: 36px;
      background: var(--mat-sys-surface);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LanguageSwitch {
  protected readonly i18n = inject(I18n);
  protected readonly langs = LANGS;

  protected labelKey(lang: Lang) {
    return `lang.${lang}` as const;
  }

  protected choose(lang: Lang): void {
    void this.i18n.setLang(lang);
  }
}
