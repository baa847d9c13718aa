import { SendMark } from '../../../shared/send-mark/send-mark';
import { LiveAnnouncer } from '@angular/cdk/a11y';
import { NgTemplateOutlet } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, type OnInit, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { hasExtraTime } from '@rules';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { errorMessageKey } from '../../../core/graphql/errors';
import type { RoomSittingFragment } from '../../../core/graphql/generated';
import { ServerClock } from '../../../core/graphql/server-clock';
import { I18n, type MessageParams } from '../../../core/i18n/i18n';
import type { MessageKey } from '../../../core/i18n/kk';
import { Confirmation } from '../../../shared/confirm-dialog/confirm-dialog';
import { ConnectionStatus } from '../../../shared/connection-status/connection-status';
import { Countdown } from '../../../shared/countdown/countdown';
import { PageHeader } from '../../../shared/page-header/page-header';
import { clockTime } from '../../../shared/zoned-time/zoned-time';
import { AuditTrail, exportAllTrails, type TrailQuestion } from '../audit-trail/audit-trail';
import { type ExtraTimeAnswer, ExtraTimeDialog, type ExtraTimeQuestion } from './extra-time-dialog';
import { RoomCounts } from './room-counts';
import { RoomSession } from './room-session';
import {
  filterChoices,
  type RoomFilter,
  type RoomSort,
  type RoomView,
  roomRows,
  roomViewFrom,
  roomViewParams,
  sortedBy,
} from './room-view';

interface Notice {
  readonly key: MessageKey;
  readonly params?: MessageParams;
  readonly error: boolean;
}

/** Questions can go to a student who holds a ticket and has not had them yet. */
function awaitsRelease(sitting: RoomSittingFragment): boolean {
  return sitting.ticketNumber != null && !sitting.questionsReleasedAt;
}

/**
 * Where focus goes back when a row's dialog closes: the row's actions button, the opener of the menu whose item
 * opened the dialog (the item itself is gone by then, and focus would fall to the page's body).
 */
function rowActions(sitting: RoomSittingFragment): string {
  return `tr[data-student="${CSS.escape(sitting.student.login)}"] [data-testid=row-actions]`;
}

/**
 * The live room (R2.1, R5.3): one row per enrolled student — online and since when, ticket, questions released
 * and viewed, draft saved (the time only), sent, grade — updated by `sittingChanged` as it happens.
 */
@Component({
  selector: 'app-live-room',
  imports: [
    NgTemplateOutlet,
    PageHeader,
    MatButtonModule,
    MatCheckboxModule,
    MatIconModule,
    MatMenuModule,
    MatProgressBarModule,
    MatSelectModule,
    RouterLink,
    ConnectionStatus,
    Countdown,
    RoomCounts,
    SendMark,
  ],
  templateUrl: './live-room.html',
  styleUrl: './live-room.css',
  providers: [RoomSession],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LiveRoom implements OnInit {
  protected readonly room = inject(RoomSession);
  protected readonly i18n = inject(I18n);
  private readonly clock = inject(ServerClock);
  private readonly dialog = inject(MatDialog);
  private readonly confirmation = inject(Confirmation);
  private readonly announcer = inject(LiveAnnouncer);
  private readonly apollo = inject(Apollo);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);

  /** the route's :examId */
  readonly examId = input.required<string>();
  /** the address's ?state= : which rows show (room-view.ts) */
  readonly state = input<string | null>();
  /** the address's ?sort= and ?dir= : their order */
  readonly sort = input<string | null>();
  readonly dir = input<string | null>();

  protected readonly now = this.clock.now;
  protected readonly exam = this.room.exam;
  protected readonly sittings = this.room.sittings;
  protected readonly tickets = computed(() => this.exam()?.format === 'TICKETS');
  protected readonly startsAt = computed(() => Date.parse(this.exam()?.startsAt ?? ''));
  protected readonly endsAt = computed(() => Date.parse(this.exam()?.endsAt ?? ''));
  protected readonly selected = signal<ReadonlySet<string>>(new Set());
  protected readonly waiting = computed(() => this.sittings().filter(awaitsRelease));
  protected readonly freeTickets = computed(() => {
    const held = new Set(
      this.sittings()
        .map((s) => s.ticketNumber)
        .filter((n) => n != null),
    );
    return (this.exam()?.tickets ?? []).filter((t) => !held.has(t.number)).sort((a, b) => a.number - b.number);
  });
  protected readonly busy = signal(false);
  protected readonly notice = signal<Notice | null>(null);
  /** a file being made (XLSX loads its library first): the room's other actions stay available meanwhile */
  protected readonly exporting = signal(false);

  protected readonly view = computed(() =>
    roomViewFrom({ state: this.state(), sort: this.sort(), dir: this.dir() }, this.exam()?.format ?? null),
  );
  protected readonly filters = computed(() => filterChoices(this.sittings(), this.exam()?.format ?? 'TASK'));
  /** the rows shown: the view's filter, in its order */
  protected readonly shown = computed(() => roomRows(this.sittings(), this.view(), this.i18n.locale()));
  /** the waiting rows the filter shows: "select all" and "release to the ticked" never reach a hidden row */
  protected readonly waitingShown = computed(() => this.shown().filter(awaitsRelease));
  /** the selection, minus rows that meanwhile got their questions or that the filter hides */
  protected readonly releasable = computed(() => this.waitingShown().filter((s) => this.selected().has(s.student.id)));

  ngOnInit(): void {
    this.room.open(this.examId());
  }

  protected filterBy(filter: RoomFilter): void {
    this.showView({ ...this.view(), filter });
  }

  protected sortBy(sort: RoomSort): void {
    this.showView(sortedBy(this.view(), sort));
  }

  /** aria-sort of a column's header: only the sorted column says how */
  protected ariaSort(sort: RoomSort): 'ascending' | 'descending' | null {
    const view = this.view();
    if (view.sort !== sort) return null;
    return view.direction === 'asc' ? 'ascending' : 'descending';
  }

  /** into the address (replacing it: the back button leaves the room, not the last click), so a reload keeps it */
  private showView(view: RoomView): void {
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: roomViewParams(view),
      queryParamsHandling: 'merge',
      replaceUrl: true,
    });
  }

  protected time(at: string | null): string {
    return at ? clockTime(at, this.clock.timeZone()) : '';
  }

  protected hasExtraTime(sitting: RoomSittingFragment): boolean {
    const exam = this.exam();
    return !!exam && hasExtraTime(exam, sitting.endsAt);
  }

  protected toggle(sitting: RoomSittingFragment, on: boolean): void {
    const next = new Set(this.selected());
    if (on) next.add(sitting.student.id);
    else next.delete(sitting.student.id);
    this.selected.set(next);
  }

  protected selectAllWaiting(on: boolean): void {
    this.selected.set(on ? new Set(this.waitingShown().map((s) => s.student.id)) : new Set());
  }

  /** R5.3: to the ticked students */
  protected async releaseSelected(): Promise<void> {
    const students = this.releasable();
    if (!students.length) return;
    await this.act(() => this.room.release(students.map((s) => s.student.id)), 'room.releasedTo', {
      n: students.length,
    });
    this.selected.set(new Set());
  }

  /** R5.3: to everyone holding a ticket (after a confirmation) */
  protected async releaseAll(): Promise<void> {
    const n = this.waiting().length;
    const confirmed = await this.confirmation.ask({
      title: this.i18n.t('room.releaseAllTitle'),
      text: this.i18n.t('room.releaseAllText', { n }),
      confirm: this.i18n.t('room.releaseAllOk'),
    });
    if (!confirmed) return;
    await this.act(() => this.room.release(null), 'room.releasedTo', { n });
    this.selected.set(new Set());
  }

  protected async releaseOne(sitting: RoomSittingFragment): Promise<void> {
    await this.act(() => this.room.release([sitting.student.id]), 'room.releasedToOne', {
      name: sitting.student.fullName,
    });
  }

  protected async assign(sitting: RoomSittingFragment, ticketId: string): Promise<void> {
    const number = this.exam()?.tickets.find((t) => t.id === ticketId)?.number ?? '';
    await this.act(() => this.room.assignTicket(sitting.student.id, ticketId), 'room.assigned', {
      n: number,
      name: sitting.student.fullName,
    });
  }

  protected async extraTime(sitting: RoomSittingFragment): Promise<void> {
    const exam = this.exam();
    if (!exam) return;
    const ref = this.dialog.open<ExtraTimeDialog, ExtraTimeQuestion, ExtraTimeAnswer>(ExtraTimeDialog, {
      data: { studentName: sitting.student.fullName, examEndsAt: exam.endsAt, endsAt: sitting.endsAt },
      maxWidth: '480px',
      autoFocus: 'first-tabbable',
      restoreFocus: rowActions(sitting),
    });
    const answer = await firstValueFrom(ref.afterClosed());
    if (!answer) return;
    await this.act(
      () => this.room.setExtraTime(sitting.student.id, answer.endsAt),
      answer.endsAt ? 'room.extraGiven' : 'room.extraTakenBack',
      { name: sitting.student.fullName, time: answer.endsAt ? this.i18n.time(answer.endsAt) : '' },
    );
  }

  protected trail(sitting: RoomSittingFragment): void {
    const exam = this.exam();
    if (!exam) return;
    this.dialog.open<AuditTrail, TrailQuestion>(AuditTrail, {
      data: {
        examId: exam.id,
        sittingId: sitting.id,
        studentName: sitting.student.fullName,
        examTitle: exam.discipline.title,
      },
      width: '760px',
      maxWidth: '95vw',
      autoFocus: 'dialog',
      restoreFocus: rowActions(sitting),
    });
  }

  protected async exportTrails(format: 'csv' | 'xlsx'): Promise<void> {
    const exam = this.exam();
    if (!exam || this.exporting()) return;
    this.exporting.set(true);
    this.notice.set(null);
    try {
      await exportAllTrails(
        this.apollo,
        this.i18n,
        this.clock.timeZone(),
        { id: exam.id, title: exam.discipline.title },
        format,
      );
    } catch (error) {
      this.notice.set({ key: errorMessageKey(error), error: true });
    } finally {
      this.exporting.set(false);
    }
  }

  private async act(action: () => Promise<unknown>, done: MessageKey | null, params?: MessageParams): Promise<void> {
    this.busy.set(true);
    this.notice.set(null);
    try {
      await action();
      if (done) {
        this.notice.set({ key: done, params, error: false });
        void this.announcer.announce(this.i18n.t(done, params));
      }
    } catch (error) {
      this.notice.set({ key: errorMessageKey(error), error: true });
    } finally {
      this.busy.set(false);
    }
  }
}
