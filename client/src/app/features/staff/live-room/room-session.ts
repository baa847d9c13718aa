import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Apollo, type QueryRef } from 'apollo-angular';
import { firstValueFrom, type Observable, type Subscription } from 'rxjs';
import { errorCode } from '../../../core/graphql/errors';
import { rereadOnResync } from '../../../core/graphql/exam-resync';
import {
  AssignTicketDocument,
  ExamRoomDocument,
  type ExamRoomQuery,
  type ExamRoomQueryVariables,
  ReleaseQuestionsDocument,
  RoomSittingChangedDocument,
  type RoomSittingFragment,
  SetExtraTimeDocument,
} from '../../../core/graphql/generated';
import type { MessageKey } from '../../../core/i18n/kk';

export type RoomExam = Omit<NonNullable<ExamRoomQuery['exam']>, 'sittings'>;

/** a push that repeats what the row shows changes nothing (and is not highlighted) */
function differs(a: RoomSittingFragment, b: RoomSittingFragment): boolean {
  return JSON.stringify(a) !== JSON.stringify(b);
}

/** the room's query with one pushed sitting in place (a student newly enrolled is added) */
function withSitting(room: ExamRoomQuery, sitting: RoomSittingFragment): ExamRoomQuery | undefined {
  if (!room.exam) return undefined;
  const known = room.exam.sittings.some((s) => s.id === sitting.id);
  const sittings = known
    ? room.exam.sittings.map((s) => (s.id === sitting.id ? sitting : s))
    : [...room.exam.sittings, sitting];
  return { exam: { ...room.exam, sittings } };
}

/**
 * The live room's data: the exam and one row per enrolled student, watched in Apollo's cache and kept current by
 * `sittingChanged` (presence, tickets, views, saves, sending, grades) with no reload. Mutations answer with the
 * sittings they changed, which the cache puts in place by id; a reconnect re-reads (core/graphql/reconnect.ts).
 */
@Injectable()
export class RoomSession {
  private readonly apollo = inject(Apollo);
  private readonly destroyRef = inject(DestroyRef);
  private examId = '';
  private query: QueryRef<ExamRoomQuery, ExamRoomQueryVariables> | null = null;
  private watching: Subscription | null = null;
  private resyncs: Subscription | null = null;
  /** staff's own changes in flight: the rows they change are not highlighted as pushes */
  private ownChanges = 0;

  readonly exam = signal<RoomExam | null>(null);
  private readonly rows = signal<ReadonlyMap<string, RoomSittingFragment>>(new Map());
  /** by student name, as the server orders them */
  readonly sittings = computed(() =>
    [...this.rows().values()].sort((a, b) => a.student.fullName.localeCompare(b.student.fullName)),
  );
  readonly loading = signal(true);
  readonly loadError = signal<MessageKey | null>(null);
  /** ids of rows a push changed a moment ago (highlighted briefly) */
  readonly recentlyChanged = signal<ReadonlySet<string>>(new Set());

  open(examId: string): void {
    this.examId = examId;
    this.watching?.unsubscribe();
    this.resyncs?.unsubscribe();
    const query = this.apollo.watchQuery({
      query: ExamRoomDocument,
      variables: { id: examId },
      fetchPolicy: 'cache-and-network',
      nextFetchPolicy: 'cache-first',
    });
    this.query = query;
    this.watching = query.valueChanges.pipe(takeUntilDestroyed(this.destroyRef)).subscribe((result) => {
      const exam = result.data?.exam;
      if (exam) {
        const { sittings, ...rest } = exam as NonNullable<ExamRoomQuery['exam']>;
        this.exam.set(rest);
        this.show(sittings);
        this.loadError.set(null);
      } else if (!result.loading && !this.exam()) {
        const code = result.error ? errorCode(result.error) : 'NOT_FOUND';
        this.loadError.set(code === 'NOT_FOUND' || code === 'FORBIDDEN' ? 'exam.notFound' : `error.${code}`);
      }
      this.loading.set(result.loading && !exam);
    });
    query.subscribeToMore({
      document: RoomSittingChangedDocument,
      variables: { examId },
      updateQuery: (_, { subscriptionData, complete, previousData }) => {
        const sitting = subscriptionData.data?.sittingChanged;
        return sitting && complete ? withSitting(previousData as ExamRoomQuery, sitting) : undefined;
      },
      onError: () => undefined, // refused (signed out, not staff): the query shows why
    });
    this.resyncs = rereadOnResync(this.apollo, examId, this.destroyRef, () => void this.refresh());
  }

  /** Re-reads the room; on failure it keeps what it shows. */
  async refresh(): Promise<void> {
    try {
      await this.query?.refetch();
    } catch {
      // offline: the next reconnect re-reads
    }
  }

  /** R5.3: to the listed students, or to everyone holding a ticket */
  async release(studentIds: readonly string[] | null): Promise<void> {
    await this.own(
      this.apollo.mutate({
        mutation: ReleaseQuestionsDocument,
        variables: { examId: this.examId, studentIds: studentIds ? [...studentIds] : null },
      }),
    );
  }

  async assignTicket(studentId: string, ticketId: string): Promise<void> {
    await this.own(
      this.apollo.mutate({ mutation: AssignTicketDocument, variables: { examId: this.examId, studentId, ticketId } }),
    );
  }

  /** a later end for one student; null takes it back */
  async setExtraTime(studentId: string, endsAt: string | null): Promise<void> {
    await this.own(
      this.apollo.mutate({ mutation: SetExtraTimeDocument, variables: { examId: this.examId, studentId, endsAt } }),
    );
  }

  private async own<T>(change: Observable<T>): Promise<T> {
    this.ownChanges++;
    try {
      return await firstValueFrom(change);
    } finally {
      this.ownChanges--;
    }
  }

  /** the rows as the cache has them now; those a push changed are highlighted for a moment */
  private show(sittings: readonly RoomSittingFragment[]): void {
    const before = this.rows();
    const changed =
      before.size && !this.ownChanges
        ? sittings
            .filter((s) => {
              const was = before.get(s.id);
              return !was || differs(was, s);
            })
            .map((s) => s.id)
        : [];
    this.rows.set(new Map(sittings.map((s) => [s.id, s])));
    if (!changed.length) return;
    this.recentlyChanged.update((ids) => new Set([...ids, ...changed]));
    setTimeout(
      () => this.recentlyChanged.update((ids) => new Set([...ids].filter((id) => !changed.includes(id)))),
      2500,
    );
  }
}
