import { ChangeDetectionStrategy, Component, inject, Injectable } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { firstValueFrom } from 'rxjs';
import { I18n } from '../../core/i18n/i18n';

/**
 * How long after opening the second click of a double click (its `detail` is 2) does not answer the question: it
 * belongs to the click that opened it, and lands on the backdrop or a button under the pointer.
 */
export const CONFIRM_SETTLE_MS = 500;

export interface ConfirmQuestion {
  readonly title: string;
  readonly text: string;
  readonly confirm: string;
  /** what the action concerns, listed under the text (e.g. the students a retake enrols) */
  readonly items?: readonly string[];
}

@Component({
  selector: 'app-confirm-dialog',
  imports: [MatButtonModule, MatDialogModule],
  template: `
    <h2 mat-dialog-title>{{ question.title }}</h2>
    <mat-dialog-content>
      <p>{{ question.text }}</p>
      @if (question.items?.length) {
        <ul class="items" data-testid="confirm-items">
          @for (item of question.items; track $index) {
            <li>{{ item }}</li>
          }
        </ul>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" (click)="answer(false, $event)" class="cancel">
        {{ i18n.t('app.cancel') }}
      </button>
      <button mat-flat-button type="button" (click)="answer(true, $event)" class="confirm">
        {{ question.confirm }}
      </button>
    </mat-dialog-actions>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ConfirmDialog {
  protected readonly question = inject<ConfirmQuestion>(MAT_DIALOG_DATA);
  protected readonly i18n = inject(I18n);
  private readonly ref = inject<MatDialogRef<ConfirmDialog, boolean>>(MatDialogRef);
  private readonly openedAt = performance.now();

  constructor() {
    // opened with disableClose: the backdrop and Escape answer "no" here, the backdrop not to the opening double click
    this.ref
      .backdropClick()
      .pipe(takeUntilDestroyed())
      .subscribe((event) => {
        if (!this.doubled(event)) this.ref.close(false);
      });
    this.ref
      .keydownEvents()
      .pipe(takeUntilDestroyed())
      .subscribe((event) => {
        if (event.key === 'Escape') this.ref.close(false);
      });
  }

  protected answer(yes: boolean, event: MouseEvent): void {
    if (!this.doubled(event)) this.ref.close(yes);
  }

  /** the rest of the multi-click that opened the dialog (a keyboard's click has detail 0, a fresh click 1) */
  private doubled(event: MouseEvent): boolean {
    return event.detail >= 2 && performance.now() - this.openedAt < CONFIRM_SETTLE_MS;
  }
}

/** "Are you sure?" before what cannot be undone (choosing a ticket, sending the answer). */
@Injectable({ providedIn: 'root' })
export class Confirmation {
  private readonly dialog = inject(MatDialog);

  async ask(question: ConfirmQuestion): Promise<boolean> {
    const ref = this.dialog.open<ConfirmDialog, ConfirmQuestion, boolean>(ConfirmDialog, {
      data: question,
      maxWidth: '480px',
      role: 'alertdialog',
      disableClose: true, // the dialog decides (ConfirmDialog): one double click is one question
      autoFocus: 'first-tabbable',
      restoreFocus: true,
    });
    return (await firstValueFrom(ref.afterClosed())) === true;
  }
}
