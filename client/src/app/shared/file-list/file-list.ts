import { ChangeDetectionStrategy, Component, inject, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { I18n } from '../../core/i18n/i18n';

export interface ListedFile {
  readonly id: string;
  readonly name: string;
  readonly size: number;
  readonly url: string;
}

/** Files as download links by name (R5.4, R7.3), each with «Өшіру» when the owner may still delete. */
@Component({
  selector: 'app-file-list',
  imports: [MatButtonModule, MatIconModule],
  template: `
    <ul class="files">
      @for (file of files(); track file.id) {
        <li>
          <mat-icon svgIcon="file" aria-hidden="true" />
          <a [href]="file.url" download class="name">{{ file.name }}</a>
          <span class="size">{{ i18n.fileSize(file.size) }}</span>
          @if (deletable()) {
            <button mat-button type="button" class="delete" [disabled]="busy()"
              [attr.aria-label]="i18n.t('answers.deleteFile', { name: file.name })" (click)="remove.emit(file)">
              <mat-icon svgIcon="delete" aria-hidden="true" />
              {{ i18n.t('answers.delete') }}
            </button>
          }
        </li>
      }
    </ul>
  `,
  styles: `
    .files {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    li {
      display: flex;
      align-items: center;
      gap: 8px;
      min-height: 40px;
      flex-wrap: wrap;
    }
    .name {
      word-break: break-all;
    }
    .size {
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FileList {
  protected readonly i18n = inject(I18n);

  readonly files = input.required<readonly ListedFile[]>();
  readonly deletable = input(false);
  readonly busy = input(false);
  readonly remove = output<ListedFile>();
}
