import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MAX_GRADE_REASON_CHARS } from '@rules';
import { I18n } from '../../../core/i18n/i18n';
import { gradeFor, parseScore } from '../../../shared/grade-scale/grade-scale';

export interface CorrectGradeQuestion {
  readonly studentName: string;
  readonly score: number;
}

/** What staff decided: the new score and why. */
export interface CorrectGradeAnswer {
  readonly score: number;
  readonly reason: string;
}

/** issue 12, staff: a published grade changed, with the reason kept in its history and the trail. */
@Component({
  selector: 'app-correct-grade-dialog',
  imports: [MatButtonModule, MatDialogModule, MatFormFieldModule, MatInputModule],
  template: `
    <h2 mat-dialog-title>{{ i18n.t('pub.correctTitle', { name: data.studentName }) }}</h2>
    <mat-dialog-content>
      <mat-form-field appearance="outline" class="field">
        <mat-label>{{ i18n.t('pub.newScore') }}</mat-label>
        <input
          matInput
          inputmode="numeric"
          maxlength="3"
          autocomplete="off"
          [value]="score()"
          (input)="score.set($any($event.target).value)"
          data-testid="correct-score"
        />
        @if (band(); as b) {
          <mat-hint>{{ b.letter }}</mat-hint>
        } @else {
          <mat-hint>{{ i18n.t('grading.scoreRule') }}</mat-hint>
        }
      </mat-form-field>
      <mat-form-field appearance="outline" class="field">
        <mat-label>{{ i18n.t('pub.reason') }}</mat-label>
        <textarea
          matInput
          rows="3"
          [attr.maxlength]="maxReason"
          [value]="reason()"
          (input)="reason.set($any($event.target).value)"
          data-testid="correct-reason"
        ></textarea>
        <mat-hint>{{ i18n.t('pub.reasonHint') }}</mat-hint>
      </mat-form-field>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" [mat-dialog-close]="undefined">{{ i18n.t('app.cancel') }}</button>
      <button
        mat-flat-button
        type="button"
        [disabled]="!answer()"
        (click)="ref.close(answer() ?? undefined)"
        data-testid="correct-save"
      >
        {{ i18n.t('pub.save') }}
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .field {
      display: block;
      width: 100%;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CorrectGradeDialog {
  protected readonly data = inject<CorrectGradeQuestion>(MAT_DIALOG_DATA);
  protected readonly ref = inject<MatDialogRef<CorrectGradeDialog, CorrectGradeAnswer>>(MatDialogRef);
  protected readonly i18n = inject(I18n);
  protected readonly maxReason = MAX_GRADE_REASON_CHARS;

  protected readonly score = signal(String(this.data.score));
  protected readonly reason = signal('');
  private readonly parsed = computed(() => parseScore(this.score()));
  protected readonly band = computed(() => gradeFor(this.parsed()));
  /** a new score and a reason: what the server takes (it checks both again) */
  protected readonly answer = computed((): CorrectGradeAnswer | null => {
    const score = this.parsed();
    const reason = this.reason().trim();
    if (score === null || score === this.data.score || !reason || reason.length > MAX_GRADE_REASON_CHARS) return null;
    return { score, reason };
  });
}
