import { ChangeDetectionStrategy, Component, computed, ElementRef, inject, input, type OnInit } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { hasExtraTime, isSubstantialAnswer } from '@rules';
import { Session } from '../../../core/auth/session';
import { I18n } from '../../../core/i18n/i18n';
import { Confirmation } from '../../../shared/confirm-dialog/confirm-dialog';
import { ConnectionStatus } from '../../../shared/connection-status/connection-status';
import { CopyButton } from '../../../shared/copy-button/copy-button';
import { Countdown } from '../../../shared/countdown/countdown';
import { FileList } from '../../../shared/file-list/file-list';
import { focusWhenShown } from '../../../shared/focus-step/focus-step';
import { PageHeader } from '../../../shared/page-header/page-header';
import { Answers } from '../answers/answers';
import { AppealPanel } from '../appeal-panel/appeal-panel';
import { Questions } from '../questions/questions';
import { type Tile, TicketBoard } from '../ticket-board/ticket-board';
import type { BoardState } from './exam-rules';
import { ExamSession } from './exam-session';

/** The exam page (R2–R8): every block appears exactly when the rules in exam-rules.ts say. */
@Component({
  selector: 'app-exam-page',
  imports: [
    PageHeader,
    MatButtonModule,
    MatCardModule,
    MatIconModule,
    MatProgressBarModule,
    RouterLink,
    ConnectionStatus,
    CopyButton,
    Countdown,
    FileList,
    Answers,
    Questions,
    TicketBoard,
    AppealPanel,
  ],
  templateUrl: './exam-page.html',
  styleUrl: './exam-page.css',
  providers: [ExamSession],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ExamPage implements OnInit {
  protected readonly i18n = inject(I18n);
  protected readonly session = inject(ExamSession);
  protected readonly user = inject(Session).user;
  private readonly confirmation = inject(Confirmation);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;

  /** the route's :examId */
  readonly examId = input.required<string>();

  protected readonly exam = this.session.exam;
  protected readonly view = this.session.view;
  protected readonly extraTime = computed(() => {
    const exam = this.exam();
    return !!exam?.mySitting && hasExtraTime(exam, exam.mySitting.endsAt);
  });

  /** issue 11: before the end, that a saved draft will be sent; after it, that the answer was sent for the student */
  protected readonly sendNote = computed((): string | null => {
    const exam = this.exam();
    const sitting = exam?.mySitting;
    if (!exam || !sitting) return null;
    if (sitting.answerStatus === 'SUBMITTED' && sitting.submittedAt) {
      const time = this.i18n.dateTime(sitting.submittedAt);
      if (sitting.answerSendMode === 'AUTOMATIC') return this.i18n.t('autosend.sentAtEnd', { time });
      if (sitting.answerSendMode === 'LATE_WITHIN_GRACE') return this.i18n.t('autosend.sentInGrace', { time });
      return null;
    }
    return exam.autoSendAtEnd && this.view()?.answerLock === null ? this.i18n.t('autosend.willSend') : null;
  });

  /** issue 11: after the end, what becomes of a draft that was not sent (in place of «not sent») */
  protected readonly endedDraftNote = computed((): string | null => {
    const exam = this.exam();
    const sitting = exam?.mySitting;
    const answer = sitting?.answer;
    if (!exam || !answer || answer.status !== 'DRAFT' || this.view()?.answerLock !== 'ended') return null;
    if (sitting.draftAfterEnd === 'TOO_SHORT') return this.i18n.t('autosend.tooShort');
    if (!exam.autoSendAtEnd || sitting.draftAfterEnd === 'AUTO_SEND_OFF') return null;
    return isSubstantialAnswer(answer.text, answer.files.length)
      ? this.i18n.t('autosend.pending')
      : this.i18n.t('autosend.tooShort');
  });

  ngOnInit(): void {
    this.session.open(this.examId());
  }

  private confirming = false;

  protected async choose(tile: Tile): Promise<void> {
    if (this.confirming) return; // a double click opens one question, not two
    this.confirming = true;
    try {
      const confirmed = await this.confirmation.ask({
        title: this.i18n.t('board.confirmTitle'),
        text: this.i18n.t('board.confirmText'),
        confirm: this.i18n.t('board.confirmOk'),
      });
      if (!confirmed) return;
      await this.session.chooseTicket(tile.id);
      // the board (and the tile that had focus) is gone: on to the next step, the questions
      if (this.exam()?.mySitting?.ticketNumber != null)
        void focusWhenShown(this.host, ['#questions-heading', '[data-testid=ticket-number]']);
    } finally {
      this.confirming = false;
    }
  }

  protected boardMessage(board: BoardState): string {
    return board === 'none' || board === 'choose' ? '' : this.i18n.t(`board.${board}`);
  }

  protected periodLabel(n: number): string {
    return this.i18n.t('list.periodN', { n });
  }
}
