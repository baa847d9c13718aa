import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { errorMessageKey } from '../../../core/graphql/errors';
import {
  AddTicketDocument,
  RemoveTicketDocument,
  type StaffExamDetailsFragment,
  type StaffTicketFragment,
  UpdateTicketDocument,
} from '../../../core/graphql/generated';
import { ServerClock } from '../../../core/graphql/server-clock';
import { I18n, type MessageParams } from '../../../core/i18n/i18n';
import type { MessageKey } from '../../../core/i18n/kk';
import { ChangeCancelled, ConfirmedChange } from '../confirmed-change/confirmed-change';
import { ExamFiles } from '../exam-files/exam-files';
import { type BulkTicket, clashingNumbers, parseBulkTickets } from './bulk-tickets';

interface Notice {
  readonly key: MessageKey;
  readonly params?: MessageParams;
  readonly error: boolean;
}

/** A ticket exam's tickets: add one or many at once, edit, remove, and their files. */
@Component({
  selector: 'app-tickets',
  imports: [MatButtonModule, MatFormFieldModule, MatIconModule, MatInputModule, MatProgressBarModule, ExamFiles],
  templateUrl: './tickets.html',
  styleUrl: './tickets.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Tickets {
  private readonly apollo = inject(Apollo);
  private readonly changes = inject(ConfirmedChange);
  private readonly clock = inject(ServerClock);
  protected readonly i18n = inject(I18n);

  readonly exam = input.required<StaffExamDetailsFragment>();
  readonly changed = output<void>();

  protected readonly tickets = computed(() => [...this.exam().tickets].sort((a, b) => a.number - b.number));
  protected readonly nextNumber = computed(() => Math.max(0, ...this.tickets().map((t) => t.number)) + 1);
  protected readonly busy = signal(false);
  protected readonly notice = signal<Notice | null>(null);

  protected readonly editing = signal<string | null>(null);
  protected readonly editNumber = signal('');
  protected readonly editQuestions = signal('');

  protected readonly newNumber = signal('');
  protected readonly newQuestions = signal('');

  protected readonly bulkText = signal('');
  protected readonly bulk = computed(() => parseBulkTickets(this.bulkText(), this.nextNumber()));
  protected readonly bulkClashes = computed(() =>
    clashingNumbers(
      this.bulk(),
      this.tickets().map((t) => t.number),
    ),
  );

  protected heading(ticket: StaffTicketFragment): string {
    return this.i18n.t('tickets.number', { n: ticket.number });
  }

  protected startEdit(ticket: StaffTicketFragment): void {
    this.editing.set(ticket.id);
    this.editNumber.set(String(ticket.number));
    this.editQuestions.set(ticket.questions);
  }

  protected async saveEdit(ticket: StaffTicketFragment): Promise<void> {
    const number = this.validNumber(this.editNumber(), ticket.id);
    const questions = this.editQuestions().trim();
    if (number === null || !questions) return;
    const done = await this.act(() =>
      this.changes.run((confirmStarted) =>
        firstValueFrom(
          this.apollo.mutate({
            mutation: UpdateTicketDocument,
            variables: { ticketId: ticket.id, number, questions, confirmStarted },
          }),
        ),
      ),
    );
    if (done) {
      this.editing.set(null);
      this.notice.set({ key: 'tickets.saved', params: { n: number }, error: false });
    }
  }

  protected async remove(ticket: StaffTicketFragment): Promise<void> {
    const done = await this.act(() =>
      this.changes.run((confirmStarted) =>
        firstValueFrom(
          this.apollo.mutate({ mutation: RemoveTicketDocument, variables: { ticketId: ticket.id, confirmStarted } }),
        ),
      ),
    );
    if (done) this.notice.set({ key: 'tickets.removed', params: { n: ticket.number }, error: false });
  }

  protected async addOne(): Promise<void> {
    const number = this.validNumber(this.newNumber() || String(this.nextNumber()), null);
    const questions = this.newQuestions().trim();
    if (number === null) return;
    if (!questions) {
      this.notice.set({ key: 'tickets.questionsRequired', error: true });
      return;
    }
    const done = await this.act(async () => {
      await this.changes.askIfStarted(this.exam().startsAt, this.clock.now());
      await this.add({ number, questions });
    });
    if (done) {
      this.newNumber.set('');
      this.newQuestions.set('');
      this.notice.set({ key: 'tickets.added', params: { n: 1 }, error: false });
    }
  }

  protected async addBulk(): Promise<void> {
    const tickets = this.bulk();
    if (!tickets.length || this.bulkClashes().length) return;
    let added = 0;
    const done = await this.act(
      async () => {
        await this.changes.askIfStarted(this.exam().startsAt, this.clock.now());
        for (const ticket of tickets) {
          await this.add(ticket);
          added++;
        }
      },
      () =>
        this.notice.set({
          key: 'tickets.bulkStopped',
          params: { added, total: tickets.length, n: tickets[added]?.number ?? '' },
          error: true,
        }),
    );
    if (done) {
      this.bulkText.set('');
      this.notice.set({ key: 'tickets.added', params: { n: added }, error: false });
    } else if (added) {
      this.changed.emit(); // the ones added before the refusal are there
    }
  }

  private async add(ticket: BulkTicket): Promise<void> {
    await firstValueFrom(
      this.apollo.mutate({ mutation: AddTicketDocument, variables: { examId: this.exam().id, ...ticket } }),
    );
  }

  /** a whole number from 1 not used by another ticket; says what is wrong otherwise */
  private validNumber(typed: string, ticketId: string | null): number | null {
    const number = Number(typed.trim());
    if (!/^\d+$/.test(typed.trim()) || number < 1) {
      this.notice.set({ key: 'tickets.badNumber', error: true });
      return null;
    }
    if (this.tickets().some((t) => t.number === number && t.id !== ticketId)) {
      this.notice.set({ key: 'tickets.numberTaken', params: { n: number }, error: true });
      return null;
    }
    return number;
  }

  /** runs a change; true when it went through (then the page re-reads the exam) */
  private async act(change: () => Promise<unknown>, onError?: () => void): Promise<boolean> {
    this.busy.set(true);
    this.notice.set(null);
    try {
      await change();
      this.changed.emit();
      return true;
    } catch (error) {
      if (!(error instanceof ChangeCancelled)) {
        this.notice.set({ key: errorMessageKey(error), error: true });
        onError?.();
      }
      return false;
    } finally {
      this.busy.set(false);
    }
  }
}
