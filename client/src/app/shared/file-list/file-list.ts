import { ChangeDetectionStrategy, Component, DOCUMENT, inject, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { Session } from '../../core/auth/session';
import { ServerClock } from '../../core/graphql/server-clock';
import { I18n } from '../../core/i18n/i18n';

export interface ListedFile {
  readonly id: string;
  readonly name: string;
  readonly size: number;
  readonly url: string;
}

/** a link this close to its end is not trusted to start the download in time */
const EXPIRY_MARGIN_MS = 30_000;

/** When a signed link stops working: the server signs `?access=<session>.<expires ms>.<signature>` (FILE_URL_TTL_MINUTES). */
export function signedLinkExpiry(url: string): number | null {
  const access = new URL(url, 'http://link.invalid').searchParams.get('access');
  const expires = Number(access?.split('.')[1]);
  return Number.isFinite(expires) && expires > 0 ? expires : null;
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
          <a [href]="file.url" download class="name" (click)="open($event, file)">{{ file.name }}</a>
          <span class="size">{{ i18n.fileSize(file.size) }}</span>
          @if (deletable()) {
            <button
              mat-button
              type="button"
              class="delete"
              [disabled]="busy()"
              [attr.aria-label]="i18n.t('answers.deleteFile', { name: file.name })"
              (click)="remove.emit(file)"
            >
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

  private readonly session = inject(Session);
  private readonly clock = inject(ServerClock);
  private readonly document = inject(DOCUMENT);

  /**
   * Signed links last minutes, a page may stay open for hours: a plain click on a link that has run
   * out downloads the file with the session's token instead (the link itself stays for other uses).
   */
  protected async open(event: MouseEvent, file: ListedFile): Promise<void> {
    const expires = signedLinkExpiry(file.url);
    const token = this.session.token();
    if (expires === null || expires - EXPIRY_MARGIN_MS > this.clock.exactNow() || !token) return;
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    const response = await fetch(`/files/${encodeURIComponent(file.id)}`, {
      headers: { Authorization: `Bearer ${token}` },
    }).catch(() => null);
    const blob = response?.ok ? await response.blob().catch(() => null) : null;
    // refused or unreachable: the link as it was, and the browser's download list shows that it failed
    const href = blob ? URL.createObjectURL(blob) : file.url;
    Object.assign(this.document.createElement('a'), { href, download: file.name }).click();
    if (blob) setTimeout(() => URL.revokeObjectURL(href), 60_000);
  }
}
