import { LiveAnnouncer } from '@angular/cdk/a11y';
import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { I18n } from '../../../core/i18n/i18n';

/**
 * The answer was changed on another device or tab while this page had edits of its own (or a save was refused with
 * ANSWER_CONFLICT): both texts side by side, and the student keeps one of them.
 */
@Component({
  selector: 'app-answer-conflict',
  imports: [MatButtonModule],
  templateUrl: './answer-conflict.html',
  styleUrl: './answer-conflict.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AnswerConflictPanel {
  protected readonly i18n = inject(I18n);

  /** this page's text (it may still be edited meanwhile) */
  readonly mine = input.required<string>();
  /** the newer text the server holds */
  readonly theirs = input.required<string>();
  readonly keepMine = output<void>();
  readonly keepTheirs = output<void>();

  /** the two texts side by side: this page's first */
  protected readonly versions = computed(() => [
    { key: 'mine', label: this.i18n.t('conflict.mine'), text: this.mine() },
    { key: 'theirs', label: this.i18n.t('conflict.theirs'), text: this.theirs() },
  ]);

  constructor() {
    void inject(LiveAnnouncer).announce(this.i18n.t('conflict.title'), 'assertive');
  }
}
