import {
  type AfterContentInit,
  ChangeDetectionStrategy,
  Component,
  ContentChildren,
  inject,
  input,
  type QueryList,
  ViewChild,
} from '@angular/core';
import { MatColumnDef, MatTable, MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import { I18n } from '../../core/i18n/i18n';

/** What every exam table shows of an exam. */
export interface ExamTableExam {
  readonly id: string;
  readonly discipline: { readonly title: string; readonly code: string };
  readonly teacher?: { readonly fullName: string };
  /** E6: the exam this one retakes, and this exam's retakes (links both ways, to whoever may see them) */
  readonly retakeOf?: ExamLink | null;
  readonly retakes?: readonly ExamLink[];
}

/** an exam named by its date in a retake link */
export interface ExamLink {
  readonly id: string;
  readonly startsAt: string;
}

/**
 * A table of exams (the student's list, staff's exams, the teacher's exams): the caption with the university's zone,
 * the discipline column linking to `link + exam.id` and the teacher column; the page adds its own columns as
 * projected `matColumnDef`s (Angular Material's wrapped table) and names the ones shown in `columns`.
 */
@Component({
  selector: 'app-exam-table',
  imports: [MatTableModule, RouterLink],
  template: `
    <div class="exam-table">
      <table
        mat-table
        [dataSource]="rows()"
        [trackBy]="trackRow"
        class="exams stack-table"
        [attr.data-testid]="testId()"
      >
        <caption>
          {{
            i18n.t('list.caption', { zone: i18n.zoneLabel() })
          }}
        </caption>
        <ng-container matColumnDef="discipline">
          <th mat-header-cell *matHeaderCellDef scope="col">{{ i18n.t('list.discipline') }}</th>
          <td mat-cell *matCellDef="let row">
            <a [routerLink]="[link(), row.exam.id]" class="discipline">{{ row.exam.discipline.title }}</a>
            <span class="code">{{ row.exam.discipline.code }}</span>
            @if (row.exam.retakeOf; as original) {
              <a [routerLink]="[link(), original.id]" class="retake-link" data-testid="retake-of">
                {{ i18n.t('retakes.retakeOf', { date: i18n.date(original.startsAt) }) }}
              </a>
            }
            @for (retake of row.exam.retakes ?? []; track retake.id) {
              <a [routerLink]="[link(), retake.id]" class="retake-link" data-testid="retake">
                {{ i18n.t('retakes.retakeOn', { date: i18n.date(retake.startsAt) }) }}
              </a>
            }
          </td>
        </ng-container>
        <ng-container matColumnDef="teacher">
          <th mat-header-cell *matHeaderCellDef scope="col">{{ i18n.t('list.teacher') }}</th>
          <td mat-cell *matCellDef="let row" [attr.data-label]="i18n.t('list.teacher')">
            {{ row.exam.teacher?.fullName }}
          </td>
        </ng-container>
        <tr mat-header-row *matHeaderRowDef="columns()"></tr>
        <tr mat-row *matRowDef="let row; columns: columns()"></tr>
      </table>
    </div>
  `,
  styles: `
    .retake-link {
      display: block;
      font-size: 0.875em;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ExamTable<R extends { readonly exam: ExamTableExam }> implements AfterContentInit {
  protected readonly i18n = inject(I18n);

  readonly rows = input.required<readonly R[]>();
  readonly columns = input.required<readonly string[]>();
  /** where the discipline links to, e.g. /attestation (the exam's id is added) */
  readonly link = input.required<string>();
  readonly testId = input<string | null>(null);

  @ViewChild(MatTable, { static: true }) private readonly table!: MatTable<R>;
  @ContentChildren(MatColumnDef) private readonly pageColumns!: QueryList<MatColumnDef>;

  protected readonly trackRow = (_: number, row: R) => row.exam.id;

  ngAfterContentInit(): void {
    this.pageColumns.forEach((column) => this.table.addColumnDef(column));
  }
}
