import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatSelectModule } from '@angular/material/select';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { errorMessageKey } from '../../../core/graphql/errors';
import {
  type SittingEventKind,
  SittingTrailsDocument,
  type SittingTrailsQuery,
  TrailPageDocument,
  type TrailPageQuery,
} from '../../../core/graphql/generated';
import { LoadMore, PagedList } from '../../../shared/paged-list/paged-list';
import { ServerClock } from '../../../core/graphql/server-clock';
import { I18n } from '../../../core/i18n/i18n';
import type { MessageKey } from '../../../core/i18n/kk';
import { downloadCsv, type ExportTable, fileName, instant } from '../../../shared/csv/csv';
import { downloadXlsx, XlsxExport } from '../../../shared/csv/xlsx';
import { clockTime } from '../../../shared/zoned-time/zoned-time';

type Trail = NonNullable<SittingTrailsQuery['exam']>['sittings'][number];
type TrailEvent = Trail['events'][number];
type TrailEntry = TrailPageQuery['auditTrailConnection']['nodes'][number];

/** every kind of entry, in the order of the trail's life, for the filter */
export const TRAIL_KINDS: readonly SittingEventKind[] = [
  'ENTERED',
  'LEFT',
  'TICKET_CHOSEN',
  'TICKET_ASSIGNED',
  'QUESTIONS_RELEASED',
  'QUESTIONS_VIEWED',
  'ANSWER_SAVED',
  'FILE_UPLOADED',
  'FILE_DELETED',
  'ANSWER_SUBMITTED',
  'ANSWER_SENT_IN_GRACE',
  'ANSWER_SENT_AT_END',
  'EXTRA_TIME_GIVEN',
  'GRADED',
  'GRADE_PUBLISHED',
  'GRADE_CORRECTED',
  'GRADE_CHANGED_ON_APPEAL',
  'APPEAL_FILED',
  'APPEAL_COMMISSION_SET',
  'APPEAL_DECIDED',
];

/** entries one page of the dialog shows */
export const TRAIL_PAGE = 50;

export interface TrailQuestion {
  readonly examId: string;
  /** one student's trail; all of the exam's when absent (export only) */
  readonly sittingId?: string;
  readonly studentName?: string;
  readonly examTitle: string;
}

/**
 * The server writes a short English detail; the known ones are shown in the page's language.
 * Anything else (a file's name) is data and shown as it is.
 */
export function eventDetail(i18n: I18n, detail: string | null): string {
  if (!detail) return '';
  const fixed: Record<string, MessageKey> = {
    'exam page opened': 'trail.detail.opened',
    'exam page closed': 'trail.detail.closed',
    'connection lost': 'trail.detail.lost',
    'drawn at random': 'trail.detail.random',
    'taken back': 'trail.detail.takenBack',
    'private draft': 'trail.detail.private', // R7.4: a draft's files and size stay the student's until sent
  };
  if (fixed[detail]) return i18n.t(fixed[detail]);
  let m = /^until (\S+)$/.exec(detail);
  if (m && !Number.isNaN(Date.parse(m[1]))) return i18n.t('trail.detail.until', { time: i18n.dateTime(m[1]) });
  m = /^ticket (\d+)$/.exec(detail);
  if (m) return i18n.t('exam.ticketNumber', { n: m[1] });
  m = /^(\d+) kept$/.exec(detail); // issue 12: an appeal decided without a change of score
  if (m) return i18n.t('trail.detail.appealKept', { score: +m[1] });
  m = /^(\d+) characters, (\d+) file\(s\)$/.exec(detail);
  if (m) return i18n.t('trail.detail.size', { chars: +m[1], files: +m[2] });
  return detail;
}

/**
 * The trail as an export (CSV or XLSX): one line per event, with the date and time on the university's clocks
 * (the zone named in the header) and the instant in UTC.
 */
export function trailExport(
  i18n: I18n,
  timeZone: string,
  name: string,
  trails: readonly {
    readonly id?: string;
    readonly student: Trail['student'];
    readonly events: readonly TrailEvent[];
  }[],
): ExportTable {
  const headers = [
    i18n.t('trail.student'),
    i18n.t('auth.login'),
    `${i18n.t('trail.time')} (${timeZone})`,
    i18n.t('trail.utc'),
    i18n.t('trail.event'),
    i18n.t('trail.by'),
    i18n.t('trail.detail'),
  ];
  const rows = trails.flatMap((trail) =>
    trail.events.map((event) => [
      trail.student.fullName,
      trail.student.login,
      instant(event.at),
      event.at,
      i18n.t(`trail.kind.${event.kind}`),
      event.actor?.fullName ?? '',
      eventDetail(i18n, event.detail),
    ]),
  );
  return { name, sheet: i18n.t('trail.fileName'), timeZone, columns: headers.map((header) => ({ header })), rows };
}

/** The sitting's audit trail for appeals: entered, left, chose, released, viewed, saved, sent, graded — exportable. */
@Component({
  selector: 'app-audit-trail',
  imports: [
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatIconModule,
    MatProgressBarModule,
    MatSelectModule,
    LoadMore,
  ],
  templateUrl: './audit-trail.html',
  styleUrl: './audit-trail.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AuditTrail {
  private readonly apollo = inject(Apollo);
  private readonly clock = inject(ServerClock);
  protected readonly i18n = inject(I18n);
  protected readonly data = inject<TrailQuestion>(MAT_DIALOG_DATA);

  protected readonly kinds = TRAIL_KINDS;
  /** the kind shown; '' for every kind */
  protected readonly kind = signal<SittingEventKind | ''>('');
  /** this sitting's entries a page at a time (issue 13) */
  protected readonly entries = new PagedList<TrailEntry>(async (after) => {
    const kind = this.kind();
    const { data } = await firstValueFrom(
      this.apollo.query({
        query: TrailPageDocument,
        variables: {
          examId: this.data.examId,
          sittingId: this.data.sittingId ?? null,
          kinds: kind ? [kind] : null,
          first: TRAIL_PAGE,
          after,
        },
        fetchPolicy: 'network-only',
      }),
    );
    return data?.auditTrailConnection;
  });
  protected readonly error = computed(() => (this.entries.error() ? errorMessageKey(this.entries.error()) : null));
  protected readonly xlsx = new XlsxExport();

  constructor() {
    toObservable(this.kind)
      .pipe(takeUntilDestroyed(inject(DestroyRef)))
      .subscribe(() => void this.entries.reset());
  }

  protected kindLabel(kind: SittingEventKind): string {
    return this.i18n.t(`trail.kind.${kind}`);
  }

  protected detail(event: TrailEvent): string {
    return eventDetail(this.i18n, event.detail);
  }

  protected time(at: string): string {
    return clockTime(at, this.clock.timeZone());
  }

  /** every entry of the trail (the pages not shown yet included), as a table */
  private async exportTable(): Promise<ExportTable | undefined> {
    const events = await this.entries.all();
    const student = events[0]?.student;
    if (!student) return undefined;
    const name = fileName(this.i18n.t('trail.fileName'), this.data.examTitle, student.login);
    return trailExport(this.i18n, this.clock.timeZone(), name, [{ student, events }]);
  }

  protected async exportCsv(): Promise<void> {
    const table = await this.exportTable();
    if (table) downloadCsv(table, this.i18n.lang());
  }

  protected exportXlsx(): void {
    void this.xlsx.download(this.exportTable(), this.i18n.lang());
  }
}

/** Every student's trail of an exam, as one CSV or XLSX file (from the room, without opening a dialog). */
export async function exportAllTrails(
  apollo: Apollo,
  i18n: I18n,
  timeZone: string,
  exam: { readonly id: string; readonly title: string },
  format: 'csv' | 'xlsx',
): Promise<void> {
  const { data } = await firstValueFrom(
    apollo.query({ query: SittingTrailsDocument, variables: { examId: exam.id }, fetchPolicy: 'network-only' }),
  );
  const name = fileName(i18n.t('trail.fileName'), exam.title);
  const table = trailExport(i18n, timeZone, name, data?.exam?.sittings ?? []);
  if (format === 'csv') downloadCsv(table, i18n.lang());
  else await downloadXlsx(table, i18n.lang());
}
