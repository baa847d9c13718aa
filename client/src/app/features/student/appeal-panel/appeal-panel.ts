import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { appealWindowOpen } from '@rules';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { errorMessageKey } from '../../../core/graphql/errors';
import { FileAppealDocument, type StudentAppealFragment } from '../../../core/graphql/generated';
import { ServerClock } from '../../../core/graphql/server-clock';
import { FileUploads } from '../../../core/http/upload';
import { I18n } from '../../../core/i18n/i18n';
import type { MessageKey } from '../../../core/i18n/kk';
import { FileList } from '../../../shared/file-list/file-list';
import { appealStatusKey } from '../../../shared/appeal-status/appeal-status';

/** What the panel reads of the student's sitting. */
export interface AppealableSitting {
  readonly id: string;
  readonly appealDeadline?: string | null;
  readonly appeal?: StudentAppealFragment | null;
}

/**
 * issue 12: «Апелляция» on the student's exam page — the button and the deadline while the window is open (the
 * server's clock), the form (text and files), then the appeal's state and the decision with its reason.
 */
@Component({
  selector: 'app-appeal-panel',
  imports: [MatButtonModule, MatCardModule, MatFormFieldModule, MatInputModule, FileList],
  templateUrl: './appeal-panel.html',
  styles: `
    .block-title {
      font: var(--mat-sys-title-medium);
      margin: 0 0 8px;
    }
    .full {
      width: 100%;
    }
    .decision {
      font-weight: 600;
    }
    .reason,
    .own-text {
      white-space: pre-wrap;
    }
    .error {
      color: var(--mat-sys-error);
    }
    .actions {
      display: flex;
      gap: 8px;
      flex-wrap: wrap;
      align-items: center;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AppealPanel {
  protected readonly i18n = inject(I18n);
  private readonly apollo = inject(Apollo);
  private readonly uploads = inject(FileUploads);
  private readonly clock = inject(ServerClock);

  readonly sitting = input.required<AppealableSitting>();
  /** the appeal was filed (the page re-reads the sitting) */
  readonly filed = output<void>();

  protected readonly appeal = computed(() => this.sitting().appeal ?? null);
  protected readonly deadline = computed(() => this.sitting().appealDeadline ?? null);
  protected readonly open = computed(() => {
    const deadline = this.deadline();
    return !!deadline && appealWindowOpen(deadline, this.clock.now());
  });
  protected readonly writing = signal(false);
  protected readonly text = signal('');
  protected readonly files = signal<File[]>([]);
  protected readonly busy = signal(false);
  protected readonly error = signal<MessageKey | null>(null);
  protected readonly tooShort = computed(() => this.text().trim().length < 10);

  protected readonly statusKey = appealStatusKey;

  protected chooseFiles(event: Event): void {
    const input = event.target as HTMLInputElement;
    this.files.set(Array.from(input.files ?? []));
  }

  protected async submit(event: Event): Promise<void> {
    event.preventDefault();
    if (this.tooShort() || this.busy()) return;
    this.busy.set(true);
    this.error.set(null);
    try {
      const result = await firstValueFrom(
        this.apollo.mutate({
          mutation: FileAppealDocument,
          variables: { sittingId: this.sitting().id, text: this.text().trim() },
        }),
      );
      const id = result.data?.fileAppeal.id;
      if (id && this.files().length) await this.uploads.upload(`/files/appeals/${id}`, this.files());
      this.writing.set(false);
      this.filed.emit();
    } catch (error) {
      this.error.set(errorMessageKey(error));
      this.filed.emit(); // the appeal may exist without its files: show what the server has
    } finally {
      this.busy.set(false);
    }
  }
}
