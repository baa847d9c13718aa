import { ChangeDetectionStrategy, Component, inject, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { errorMessageKey } from '../../../core/graphql/errors';
import type { FileRefFieldsFragment } from '../../../core/graphql/generated';
import { ServerClock } from '../../../core/graphql/server-clock';
import { I18n } from '../../../core/i18n/i18n';
import type { MessageKey } from '../../../core/i18n/kk';
import { FileList, type ListedFile } from '../../../shared/file-list/file-list';
import { ChangeCancelled, ConfirmedChange } from '../confirmed-change/confirmed-change';
import { ExamFilesApi, type FileOwner } from './exam-files-api';

/** The files of one ticket or task: download links, «Өшіру», and upload of several at once. */
@Component({
  selector: 'app-exam-files',
  imports: [MatButtonModule, MatIconModule, MatProgressBarModule, FileList],
  template: `
    <app-file-list [files]="files()" [deletable]="true" [busy]="busy()" (remove)="remove($event)" />
    @if (busy()) {
      <mat-progress-bar mode="indeterminate" [attr.aria-label]="i18n.t('app.loading')" />
    }
    @if (error(); as key) {
      <p class="error" role="alert">{{ i18n.t(key) }}</p>
    }
    <input
      #picker
      type="file"
      multiple
      class="picker"
      tabindex="-1"
      aria-hidden="true"
      (change)="picked($event)"
      [attr.data-testid]="testId()"
    />
    <button mat-stroked-button type="button" [disabled]="busy()" (click)="picker.click()" [attr.aria-label]="label()">
      <mat-icon svgIcon="upload" aria-hidden="true" />
      {{ i18n.t('answers.upload') }}
    </button>
  `,
  styles: `
    :host {
      display: block;
    }
    .picker {
      display: none;
    }
    .error {
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ExamFiles {
  private readonly api = inject(ExamFilesApi);
  private readonly changes = inject(ConfirmedChange);
  private readonly clock = inject(ServerClock);
  protected readonly i18n = inject(I18n);

  readonly owner = input.required<FileOwner>();
  readonly files = input.required<readonly FileRefFieldsFragment[]>();
  /** the exam's start: adding files after it is confirmed first */
  readonly startsAt = input.required<string>();
  /** what the upload button says to a screen reader, e.g. "Upload files to ticket 3" */
  readonly label = input.required<string>();
  readonly testId = input('file-input');
  readonly changed = output<void>();

  protected readonly busy = signal(false);
  protected readonly error = signal<MessageKey | null>(null);

  protected async picked(event: Event): Promise<void> {
    const picker = event.target as HTMLInputElement;
    const files = Array.from(picker.files ?? []);
    picker.value = '';
    if (!files.length) return;
    await this.act(async () => {
      await this.changes.askIfStarted(this.startsAt(), this.clock.now());
      await this.api.upload(this.owner(), files);
    });
  }

  protected async remove(file: ListedFile): Promise<void> {
    await this.act(() => this.changes.run((confirmStarted) => this.api.remove(file.id, confirmStarted)));
  }

  private async act(action: () => Promise<unknown>): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      await action();
      this.changed.emit();
    } catch (error) {
      if (!(error instanceof ChangeCancelled)) this.error.set(errorMessageKey(error));
    } finally {
      this.busy.set(false);
    }
  }
}
