import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { extraTimeValid, hasExtraTime } from '@rules';
import { I18n } from '../../../core/i18n/i18n';

export interface ExtraTimeQuestion {
  readonly studentName: string;
  /** the exam's own end */
  readonly examEndsAt: string;
  /** the student's end now (later than the exam's when extra time was given) */
  readonly endsAt: string;
}

/** What staff decided: a new end for the student, null to take extra time back. */
export interface ExtraTimeAnswer {
  readonly endsAt: string | null;
}

const MINUTE = 60_000;

/** The new end for `minutes` typed after the exam's end, or null when that is not whole minutes the server would take. */
export function extraTimeEnd(examEndsAt: string, minutes: string): string | null {
  const m = Number(minutes);
  if (!Number.isInteger(m)) return null;
  const end = new Date(Date.parse(examEndsAt) + m * MINUTE);
  return !Number.isNaN(end.getTime()) && extraTimeValid(examEndsAt, end) ? end.toISOString() : null;
}

/** Extra time for one student (e.g. after a technical failure): minutes beyond the exam's end, shown as the new end. */
@Component({
  selector: 'app-extra-time-dialog',
  imports: [MatButtonModule, MatDialogModule, MatFormFieldModule, MatInputModule],
  template: `
    <h2 mat-dialog-title>{{ i18n.t('extra.title', { name: data.studentName }) }}</h2>
    <mat-dialog-content>
      <p>{{ i18n.t('extra.examEnds', { time: i18n.time(data.examEndsAt) }) }}</p>
      @if (hasExtra) {
        <p>{{ i18n.t('extra.current', { time: i18n.time(data.endsAt) }) }}</p>
      }
      <div class="quick" role="group" [attr.aria-label]="i18n.t('extra.minutes')">
        @for (m of [10, 15, 30, 45]; track m) {
          <button mat-stroked-button type="button" (click)="minutes.set('' + m)">+{{ i18n.number(m) }}</button>
        }
      </div>
      <mat-form-field appearance="outline">
        <mat-label>{{ i18n.t('extra.minutes') }}</mat-label>
        <input
          matInput
          type="number"
          min="1"
          [value]="minutes()"
          (input)="minutes.set($any($event.target).value)"
          data-testid="extra-minutes"
        />
      </mat-form-field>
      <p role="status" data-testid="extra-new-end">
        @if (newEnd(); as end) {
          {{ i18n.t('extra.newEnd', { time: i18n.time(end) }) }}
        } @else {
          {{ i18n.t('extra.minutesRule') }}
        }
      </p>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      @if (hasExtra) {
        <button mat-button type="button" (click)="ref.close({ endsAt: null })" data-testid="extra-take-back">
          {{ i18n.t('extra.takeBack') }}
        </button>
      }
      <button mat-button type="button" [mat-dialog-close]="undefined">{{ i18n.t('app.cancel') }}</button>
      <button
        mat-flat-button
        type="button"
        [disabled]="!newEnd()"
        (click)="ref.close({ endsAt: newEnd() })"
        data-testid="extra-give"
      >
        {{ i18n.t('extra.give') }}
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .quick {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      margin-bottom: 16px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ExtraTimeDialog {
  protected readonly data = inject<ExtraTimeQuestion>(MAT_DIALOG_DATA);
  protected readonly ref = inject<MatDialogRef<ExtraTimeDialog, ExtraTimeAnswer>>(MatDialogRef);
  protected readonly i18n = inject(I18n);
  protected readonly hasExtra = hasExtraTime({ endsAt: this.data.examEndsAt }, this.data.endsAt);

  protected readonly minutes = signal(
    String(this.hasExtra ? Math.round((Date.parse(this.data.endsAt) - Date.parse(this.data.examEndsAt)) / MINUTE) : 15),
  );
  protected readonly newEnd = computed(() => extraTimeEnd(this.data.examEndsAt, this.minutes()));
}
