import { computed, DestroyRef, effect, inject, Injectable, signal, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Apollo } from 'apollo-angular';
import { firstValueFrom, type Subscription } from 'rxjs';
import { Connection } from '../../../core/graphql/connection';
import { errorCode } from '../../../core/graphql/errors';
import { rereadOnResync } from '../../../core/graphql/exam-resync';
import {
  AssignTicketDocument, ExamRoomDocument, type ExamRoomQuery, ReleaseQuestionsDocument, RoomSittingChangedDocument, type RoomSittingFragment,
  SetExtraTimeDocument,
} from '../../../core/graphql/generated';
import type { MessageKey } from '../../../core/i18n/kk';

export type RoomExam = Omit<NonNullable<ExamRoomQuery['exam']>, 'sittings'>;

/** a push that repeats what the row shows changes nothing (and is not highlighted) */
function differs(a: RoomSittingFragment, b: RoomSittingFragment): boolean {
  return JSON.stringify(a) !== JSON.stringify(b);
}

/**
 * The live room's data: the exam and one row per enrolled student, read once and then kept current by
 * `sittingChanged` (presence, tickets, views, saves, sending, grades) with no reload; re-read after a reconnect.
 */
@Injectable()
export class RoomSession {
  private readonly apollo = inject(Apollo);
  private readonly connection = inject(Connection);
  private readonly destroyRef = inject(DestroyRef);
  private examId = '';
  private pushes: Subscription | null = null;
  private resyncs: Subscription | null = null;

  readonly exam = signal<RoomExam | null>(null);
  private readonly rows = signal<ReadonlyMap<string, RoomSittingFragment>>(new Map());
  /** by student name, as the server orders them */
  readonly sittings = computed(() => [...this.rows().values()].sort((a, b) => a.student.fullName.localeCompare(b.student.fullName)));
  readonly loading = signal(true);
  readonly loadError = signal<MessageKey | null>(null);
  /** ids of rows a push changed a moment ago (highlighted briefly) */
  readonly recentlyChanged = signal<ReadonlySet<string>>(new Set());

  constructor() {
    let seen = this.connection.reconnects();
    effect(() => {
      const reconnects = this.connection.reconnects();
      if (reconnects === seen) return;
      seen = reconnects;
      untracked(() => void this.refresh()); // what changed while the socket was down
    });
  }

  open(examId: string): void {
    this.examId = examId;
    void this.refresh();
    this.pushes?.unsubscribe();
    this.pushes = this.apollo.subscribe({ query: RoomSittingChangedDocument, variables: { examId } })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: ({ data }) => {
          if (data?.sittingChanged) this.merge([data.sittingChanged], true);
        },
        error: () => undefined, // refused (signed out, not staff): the query shows why
      });
    this.resyncs?.unsubscribe();
    this.resyncs = rereadOnResync(this.apollo, examId, this.destroyRef, () => void this.refresh());
  }

  async refresh(): Promise<void> {
    try {
      const { data, error } = await firstValueFrom(this.apollo.query({ query: ExamRoomDocument, variables: { id: this.examId }, fetchPolicy: 'network-only' }));
      if (error) throw error;
      const exam = data?.exam;
      if (!exam) throw Object.assign(new Error('no exam'), { code: 'NOT_FOUND' });
      const { sittings, ...rest } = exam;
      this.exam.set(rest);
      this.rows.set(new Map(sittings.map((s) => [s.id, s])));
      this.loadError.set(null);
    } catch (error) {
      if (!this.exam()) {
        const code = (error as { code?: string }).code === 'NOT_FOUND' ? 'NOT_FOUND' : errorCode(error);
        this.loadError.set(code === 'NOT_FOUND' || code === 'FORBIDDEN' ? 'exam.notFound' : `error.${code}`);
      }
    } finally {
      this.loading.set(false);
    }
  }

  /** R5.3: to the listed students, or to everyone holding a ticket */
  async release(studentIds: readonly string[] | null): Promise<void> {
    const { data } = await firstValueFrom(this.apollo.mutate({ mutation: ReleaseQuestionsDocument, variables: { examId: this.examId, studentIds: studentIds ? [...studentIds] : null } }));
    if (data) this.merge(data.releaseQuestions, false);
  }

  async assignTicket(studentId: string, ticketId: string): Promise<void> {
    const { data } = await firstValueFrom(this.apollo.mutate({ mutation: AssignTicketDocument, variables: { examId: this.examId, studentId, ticketId } }));
    if (data) this.merge([data.assignTicket], false);
  }

  /** a later end for one student; null takes it back */
  async setExtraTime(studentId: string, endsAt: string | null): Promise<void> {
    const { data } = await firstValueFrom(this.apollo.mutate({ mutation: SetExtraTimeDocument, variables: { examId: this.examId, studentId, endsAt } }));
    if (data) this.merge([data.setExtraTime], false);
  }

  private merge(sittings: readonly RoomSittingFragment[], pushed: boolean): void {
    const rows = new Map(this.rows());
    const changed: string[] = [];
    for (const sitting of sittings) {
      const before = rows.get(sitting.id);
      if (before && !differs(before, sitting)) continue;
      rows.set(sitting.id, sitting);
      changed.push(sitting.id);
    }
    if (!changed.length) return;
    this.rows.set(rows);
    if (pushed) {
      this.recentlyChanged.update((ids) => new Set([...ids, ...changed]));
      setTimeout(() => this.recentlyChanged.update((ids) => new Set([...ids].filter((id) => !changed.includes(id)))), 2500);
    }
  }
}
