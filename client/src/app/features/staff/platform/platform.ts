import { ChangeDetectionStrategy, Component, effect, inject, input, output, signal, untracked } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { errorMessageKey } from '../../../core/graphql/errors';
import {
  SetPlatformDocument,
  SetRecordingDocument,
  type StaffExamDetailsFragment,
} from '../../../core/graphql/generated';
import { I18n } from '../../../core/i18n/i18n';
import type { MessageKey } from '../../../core/i18n/kk';

/** What the server accepts as a link on a student's page: a full http(s) address. */
const WEB_ADDRESS = /^https?:\/\/\S+$/i;

/** R2.6, R3.1: the conducting platform (name, link, login, password); R8.1: the recording and whether students see it. */
@Component({
  selector: 'app-platform',
  imports: [ReactiveFormsModule, MatButtonModule, MatCheckboxModule, MatFormFieldModule, MatInputModule],
  templateUrl: './platform.html',
  styleUrl: './platform.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Platform {
  private readonly apollo = inject(Apollo);
  protected readonly i18n = inject(I18n);
  private readonly fb = inject(NonNullableFormBuilder);

  readonly exam = input.required<StaffExamDetailsFragment>();
  readonly changed = output<void>();

  protected readonly platform = this.fb.group({
    name: ['', Validators.required],
    url: ['', [Validators.required, Validators.pattern(WEB_ADDRESS)]],
    login: [''],
    password: [''],
  });
  protected readonly recording = this.fb.group({
    url: ['', [Validators.required, Validators.pattern(WEB_ADDRESS)]],
    visibleToStudents: [false],
  });
  protected readonly busy = signal(false);
  protected readonly platformNotice = signal<{ key: MessageKey; error: boolean } | null>(null);
  protected readonly recordingNotice = signal<{ key: MessageKey; error: boolean } | null>(null);

  constructor() {
    // the forms show what the server has, unless staff are in the middle of typing
    effect(() => {
      const { platform, recording } = this.exam();
      untracked(() => {
        if (!this.platform.dirty)
          this.platform.reset({
            name: platform?.name ?? '',
            url: platform?.url ?? '',
            login: platform?.login ?? '',
            password: platform?.password ?? '',
          });
        if (!this.recording.dirty)
          this.recording.reset({ url: recording?.url ?? '', visibleToStudents: recording?.visibleToStudents ?? false });
      });
    });
  }

  protected async savePlatform(remove = false): Promise<void> {
    if (!remove && this.platform.invalid) {
      this.platform.markAllAsTouched();
      return;
    }
    const v = this.platform.getRawValue();
    const platform = remove
      ? null
      : { name: v.name.trim(), url: v.url.trim(), login: v.login.trim() || null, password: v.password || null };
    await this.send(this.platformNotice, remove ? 'platform.removed' : 'platform.saved', async () => {
      await firstValueFrom(
        this.apollo.mutate({ mutation: SetPlatformDocument, variables: { examId: this.exam().id, platform } }),
      );
      this.platform.markAsPristine();
    });
  }

  protected async saveRecording(remove = false): Promise<void> {
    if (!remove && this.recording.invalid) {
      this.recording.markAllAsTouched();
      return;
    }
    const v = this.recording.getRawValue();
    await this.send(this.recordingNotice, remove ? 'recording.removed' : 'recording.saved', async () => {
      await firstValueFrom(
        this.apollo.mutate({
          mutation: SetRecordingDocument,
          variables: {
            examId: this.exam().id,
            url: remove ? null : v.url.trim(),
            visibleToStudents: remove ? false : v.visibleToStudents,
          },
        }),
      );
      this.recording.markAsPristine();
    });
  }

  private async send(notice: typeof this.platformNotice, done: MessageKey, change: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    notice.set(null);
    try {
      await change();
      notice.set({ key: done, error: false });
      this.changed.emit();
    } catch (error) {
      notice.set({ key: errorMessageKey(error), error: true });
    } finally {
      this.busy.set(false);
    }
  }
}
