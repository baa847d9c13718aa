import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  linkedSignal,
  output,
  untracked,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { GradedSittingFragment } from '../../../core/graphql/generated';
import { I18n } from '../../../core/i18n/i18n';
import { gradeFor, parseScore } from '../../../shared/grade-scale/grade-scale';

export interface GradeDecision {
  readonly score: number;
  readonly comment: string | null;
  /** go on to the next answer without a grade afterwards */
  readonly next: boolean;
}

/**
 * R7.7: a score 0–100 with its letter and GPA points shown as it is typed (from the server's scale), and a
 * comment. Ctrl+Enter saves and goes on to the next answer without a grade.
 */
@Component({
  selector: 'app-grading-form',
  imports: [MatButtonModule, MatFormFieldModule, MatInputModule],
  templateUrl: './grading-form.html',
  styleUrl: './grading-form.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class GradingForm {
  protected readonly i18n = inject(I18n);

  readonly sitting = input.required<GradedSittingFragment>();
  readonly busy = input(false);
  /** another answer waits for a grade */
  readonly hasNext = input(false);
  readonly grade = output<GradeDecision>();

  /** what the teacher types, starting from the grade given (if any); a new sitting starts afresh */
  protected readonly score = linkedSignal({
    source: () => this.sitting().id,
    computation: () => untracked(() => String(this.sitting().grade?.score ?? '')),
  });
  protected readonly comment = linkedSignal({
    source: () => this.sitting().id,
    computation: () => untracked(() => this.sitting().grade?.comment ?? ''),
  });

  protected readonly parsed = computed(() => parseScore(this.score()));
  protected readonly band = computed(() => gradeFor(this.parsed()));
  protected readonly invalid = computed(() => this.score().trim() !== '' && this.parsed() === null);
  protected readonly unchanged = computed(() => {
    const given = this.sitting().grade;
    return !!given && given.score === this.parsed() && (given.comment ?? '') === this.comment().trim();
  });

  protected submit(next: boolean): void {
    const score = this.parsed();
    if (score === null || this.busy()) return;
    this.grade.emit({ score, comment: this.comment().trim() || null, next: next && this.hasNext() });
  }

  protected onSubmit(event: Event): void {
    event.preventDefault(); // a plain form: no page load, ever
    this.submit(false);
  }

  protected onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      this.submit(true);
    }
  }
}
