import { TextFieldModule } from '@angular/cdk/text-field';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  ElementRef,
  inject,
  input,
  output,
  untracked,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { StudentAnswerFragment } from '../../../core/graphql/generated';
import { I18n } from '../../../core/i18n/i18n';
import type { MessageKey } from '../../../core/i18n/kk';
import { Confirmation } from '../../../shared/confirm-dialog/confirm-dialog';
import { FileList, type ListedFile } from '../../../shared/file-list/file-list';
import { focusWhenShown } from '../../../shared/focus-step/focus-step';
import { canSave, canSend, type ExamView } from '../exam-page/exam-rules';
import { AnswerConflictPanel } from './answer-conflict';
import { AnswerDraft } from './answer-draft';
import { AnswerLimits, megabytes } from './answer-limits';

/** Beyond this many characters the field stops growing with its text (it has reached its 30 rows long before):
 * measuring the height of a long text on every key made typing lag. */
const AUTOSIZE_MAX_CHARS = 10_000;

/** The «Жауаптар» block (R7.1–R7.6): the answer text, its files, «Сақтау» and «Жауапты жіберу». */
@Component({
  selector: 'app-answers',
  imports: [
    TextFieldModule,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    FileList,
    AnswerConflictPanel,
  ],
  templateUrl: './answers.html',
  styleUrl: './answers.css',
  providers: [AnswerDraft],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Answers {
  protected readonly i18n = inject(I18n);
  protected readonly draft = inject(AnswerDraft);
  private readonly confirmation = inject(Confirmation);
  protected readonly limits = inject(AnswerLimits).values;
  protected readonly megabytes = megabytes;
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;

  readonly examId = input.required<string>();
  readonly userId = input.required<string>();
  /** the answer as the server last gave it (null before the first save) */
  readonly answer = input.required<StudentAnswerFragment | null>();
  /** from the page's rules: sent, or the end time has come */
  readonly lock = input.required<ExamView['answerLock']>();
  /** issue 11: the page's word, after the end, on a draft not sent (it is being sent for the student, or too short) */
  readonly endedNote = input<string | null>(null);
  /** asks the page to re-read the exam */
  readonly serverChanged = output<void>();

  /** sent here or seen sent by the server */
  protected readonly effectiveLock = computed<ExamView['answerLock']>(() =>
    this.draft.submitted() ? 'submitted' : this.lock(),
  );
  protected readonly locked = computed(() => this.effectiveLock() !== null);
  protected readonly saveEnabled = computed(
    () => canSave(this.draft.text(), this.draft.answerFiles(), this.effectiveLock()) && !this.draft.busy(),
  );
  protected readonly sendEnabled = computed(
    () => canSend(this.draft.text(), this.draft.answerFiles(), this.effectiveLock()) && !this.draft.busy(),
  );

  protected readonly autosize = computed(() => this.draft.text().length <= AUTOSIZE_MAX_CHARS);
  /** the limit counts what the server counts: UTF-16 code units, as the field's maxlength does */
  protected readonly atLimit = computed(() => this.draft.text().length >= this.limits().maxChars);
  protected readonly nearLimit = computed(() => this.draft.text().length >= this.limits().maxChars * 0.9);
  protected readonly describedBy = computed(() =>
    this.locked() ? 'answer-count' : 'answer-rule answer-count answer-limits',
  );

  /** where the text stands: saving, saved (when), only in this browser (why), refused */
  protected readonly syncMessage = computed((): string | null => {
    const sync = this.draft.sync();
    switch (sync.kind) {
      case 'saving':
        return this.i18n.t('draft.saving');
      case 'saved':
        return this.i18n.t('draft.saved', { time: this.i18n.dateTime(sync.at) });
      case 'local':
        return this.i18n.t('draft.local');
      case 'short':
        return this.i18n.t('draft.short');
      case 'failed':
        return this.i18n.t('draft.failed', { reason: this.i18n.t(`error.${sync.code}`) });
      default:
        return null;
    }
  });

  constructor() {
    void inject(AnswerLimits).load();
    this.draft.onServerChange = () => this.serverChanged.emit();
    let initialised = false;
    effect(() => {
      const answer = this.answer();
      const examId = this.examId();
      const userId = this.userId();
      untracked(() => {
        if (!initialised) {
          initialised = true;
          this.draft.init(examId, userId, answer);
        } else {
          this.draft.applyServer(answer);
        }
      });
    });
    effect(() => this.draft.setLocked(this.locked()));
  }

  protected onInput(event: Event): void {
    this.draft.edit((event.target as HTMLTextAreaElement).value);
  }

  protected onFilesPicked(event: Event): void {
    const input = event.target as HTMLInputElement;
    const files = Array.from(input.files ?? []);
    input.value = ''; // the same file can be picked again after a refusal
    if (files.length) void this.draft.upload(files);
  }

  protected removeFile(file: ListedFile): void {
    const stored = this.draft.files().find((f) => f.id === file.id);
    if (stored) void this.draft.removeFile(stored);
  }

  protected save(): void {
    void this.draft.save();
  }

  private confirming = false;

  protected async send(): Promise<void> {
    if (this.confirming) return; // a double click opens one question, not two
    this.confirming = true;
    try {
      const confirmed = await this.confirmation.ask({
        title: this.i18n.t('answers.confirmTitle'),
        text: this.i18n.t('answers.confirmText'),
        confirm: this.i18n.t('answers.confirmOk'),
      });
      // sent even if the end came while the dialog was open: the server decides and the page says which
      if (!confirmed) return;
      await this.draft.send();
      // Send and the field's buttons are gone: focus goes to the note that says the answer is sent
      if (this.draft.submittedAt()) void focusWhenShown(this.host, ['[data-testid=sent]']);
    } finally {
      this.confirming = false;
    }
  }

  /** A refusal's reason; the ones about a limit name it. */
  protected errorText(code: string): string {
    const limits = this.limits();
    switch (code) {
      case 'FILE_TOO_LARGE':
        return this.i18n.t('answers.fileTooLarge', { mb: this.i18n.number(megabytes(limits.maxFileBytes)) });
      case 'TOO_MANY_FILES':
        return this.i18n.t('answers.tooManyFiles', { n: limits.maxFiles });
      case 'ANSWER_TOO_LARGE':
        return this.i18n.t('answers.filesTooLarge', { mb: this.i18n.number(megabytes(limits.maxTotalBytes)) });
      default:
        return this.i18n.t(`error.${code}` as MessageKey);
    }
  }
}
