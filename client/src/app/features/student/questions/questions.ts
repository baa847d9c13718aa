import { ChangeDetectionStrategy, Component, effect, ElementRef, inject, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { I18n } from '../../../core/i18n/i18n';
import { FileList } from '../../../shared/file-list/file-list';
import { focusWhenShown } from '../../../shared/focus-step/focus-step';
import type { ExamView } from '../exam-page/exam-rules';
import type { TicketQuestions } from '../exam-page/exam-session';

/** R5.1–R5.4: «Билет бойынша сұрақтарды көрсету», the wait message, then the questions and their files. */
@Component({
  selector: 'app-questions',
  imports: [MatButtonModule, MatIconModule, FileList],
  template: `
    @if (view().showQuestions && questions(); as q) {
      <section aria-labelledby="questions-title" data-testid="questions">
        <h2 id="questions-title" class="block-title" tabindex="-1">{{ i18n.t('questions.title') }}</h2>
        <p class="questions">{{ q.questions }}</p>
        @if (q.files.length) {
          <h3 class="files-title">{{ i18n.t('questions.files') }}</h3>
          <app-file-list [files]="q.files" />
        }
        <p class="viewed">{{ i18n.t('questions.viewedAt', { time: i18n.dateTime(q.viewedAt) }) }}</p>
      </section>
    } @else if (view().showQuestionsButton) {
      <section class="ask" aria-labelledby="questions-heading">
        <h2 id="questions-heading" class="block-title" tabindex="-1">{{ i18n.t('questions.title') }}</h2>
        <button mat-flat-button type="button" [disabled]="busy()" (click)="show.emit()" data-testid="show-questions">
          {{ i18n.t('questions.show') }}
        </button>
        <div aria-live="polite">
          @if (view().showQuestionsPending) {
            <p class="pending" data-testid="questions-pending">
              <mat-icon svgIcon="wait" aria-hidden="true" />
              {{ i18n.t('questions.pending') }}
            </p>
          } @else if (view().questionsReleasedHint) {
            <p class="released">{{ i18n.t('questions.released') }}</p>
          }
        </div>
      </section>
    }
  `,
  styles: `
    .block-title {
      font: var(--mat-sys-title-large);
      margin: 0 0 8px;
    }
    .block-title:focus {
      outline: none; /* focused by script as the next step, never by Tab */
    }
    .files-title {
      font: var(--mat-sys-title-small);
      margin: 12px 0 4px;
    }
    .questions {
      white-space: pre-wrap;
      font: var(--mat-sys-body-large);
      line-height: 1.6;
    }
    .viewed {
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
    .pending {
      display: flex;
      align-items: center;
      gap: 8px;
      margin: 12px 0 0;
      padding: 10px 14px;
      border-radius: 8px;
      background: var(--mat-sys-tertiary-container);
      color: var(--mat-sys-on-tertiary-container);
      font: var(--mat-sys-body-large);
    }
    .released {
      margin: 12px 0 0;
      font: var(--mat-sys-body-large);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Questions {
  protected readonly i18n = inject(I18n);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;

  readonly view = input.required<ExamView>();
  readonly questions = input<TicketQuestions | null>(null);
  readonly busy = input(false);
  readonly show = output<void>();

  constructor() {
    // the questions take the place of the button (pressed, or waited on until the release): focus follows, unless
    // the student has moved it elsewhere meanwhile; a page opened with the questions already shown keeps its focus
    let asked = false;
    effect(() => {
      const shown = this.view().showQuestions && !!this.questions();
      if (!shown) {
        asked ||= this.view().showQuestionsButton;
        return;
      }
      if (!asked) return;
      asked = false;
      const focused = document.activeElement;
      if (!focused || focused === document.body || this.host.contains(focused))
        void focusWhenShown(this.host, ['#questions-title']);
    });
  }
}
