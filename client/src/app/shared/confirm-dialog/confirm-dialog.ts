import { ChangeDetectionStrategy, Component, inject, Injectable } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule } from '@angular/material/dialog';
import { firstValueFrom } from 'rxjs';
import { I18n } from '../../core/i18n/i18n';

export interface ConfirmQuestion {
  readonly title: string;
  readonly text: string;
  readonly confirm: string;
}

@Component({
  selector: 'app-confirm-dialog',
  imports: [MatButtonModule, MatDialogModule],
  template: `
    <h2 mat-dialog-title>{{ question.title }}</h2>
    <mat-dialog-content>
      <p>{{ question.text }}</p>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" [mat-dialog-close]="false">{{ i18n.t('app.cancel') }}</button>
      <button mat-flat-button type="button" [mat-dialog-close]="true" class="confirm">{{ question.confirm }}</button>
    </mat-dialog-actions>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ConfirmDialog {
  protected readonly question = inject<ConfirmQuestion>(MAT_DIALOG_DATA);
  protected readonly i18n = inject(I18n);
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
      autoFocus: 'first-tabbable',
      restoreFocus: true,
    });
    return (await firstValueFrom(ref.afterClosed())) === true;
  }
}
