import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, input, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import { Apollo } from 'apollo-angular';
import { firstValueFrom, map } from 'rxjs';
import { errorMessageKey } from '../../../core/graphql/errors';
import {
  AppealChangedDocument,
  type AppealStatus,
  SetAppealCommissionDocument,
  StaffAppealsDocument,
} from '../../../core/graphql/generated';
import { I18n } from '../../../core/i18n/i18n';
import type { MessageKey } from '../../../core/i18n/kk';
import { appealStatusKey } from '../../../shared/appeal-status/appeal-status';

/** issue 12: staff — the appeals (of one exam with ?examId=, or all), each one's state, and the commission to form. */
@Component({
  selector: 'app-staff-appeals',
  imports: [FormsModule, MatButtonModule, MatFormFieldModule, MatProgressBarModule, MatSelectModule, RouterLink],
  templateUrl: './appeals.html',
  styles: `
    .title {
      font: var(--mat-sys-headline-small);
      margin: 0 0 16px;
    }
    .filters {
      display: flex;
      gap: 12px;
      flex-wrap: wrap;
      align-items: center;
    }
    table {
      border-collapse: collapse;
      width: 100%;
    }
    th,
    td {
      text-align: start;
      padding: 8px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
      vertical-align: top;
    }
    .commission {
      display: flex;
      gap: 8px;
      flex-wrap: wrap;
      align-items: center;
    }
    .error {
      color: var(--mat-sys-error);
    }
    .sub {
      display: block;
      font: var(--mat-sys-body-small);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class StaffAppeals {
  private readonly apollo = inject(Apollo);
  protected readonly i18n = inject(I18n);

  /** ?examId= : one exam's appeals */
  readonly examId = input<string>();
  protected readonly status = signal<AppealStatus | ''>('');
  protected readonly statuses: AppealStatus[] = ['FILED', 'UNDER_REVIEW', 'DECIDED'];
  /** the teachers chosen per appeal, before «form» is pressed */
  protected readonly chosen = signal<Record<string, string[]>>({});
  protected readonly busy = signal<string | null>(null);
  protected readonly error = signal<MessageKey | null>(null);

  protected readonly data = rxResource({
    params: () => ({ examId: this.examId() || null, status: this.status() || null }),
    stream: ({ params }) =>
      this.apollo
        .query({ query: StaffAppealsDocument, variables: params, fetchPolicy: 'network-only' })
        .pipe(map((r) => r.data!)),
  });
  protected readonly appeals = computed(() => (this.data.hasValue() ? this.data.value().appeals : []));
  protected readonly teachers = computed(() => (this.data.hasValue() ? this.data.value().teachers : []));
  protected readonly loadError = computed(() => (this.data.error() ? errorMessageKey(this.data.error()) : null));

  constructor() {
    // a new appeal or a decision elsewhere: read the list again
    const pushes = this.apollo
      .subscribe({ query: AppealChangedDocument })
      .subscribe({ next: () => this.data.reload() });
    inject(DestroyRef).onDestroy(() => pushes.unsubscribe());
  }

  protected readonly statusKey = appealStatusKey;

  protected names(people: readonly { fullName: string }[]): string {
    return people.map((p) => p.fullName).join(', ');
  }

  protected chosenFor(appealId: string, current: readonly { id: string }[]): string[] {
    return this.chosen()[appealId] ?? current.map((t) => t.id);
  }

  protected choose(appealId: string, ids: string[]): void {
    this.chosen.update((all) => ({ ...all, [appealId]: ids }));
  }

  protected async form(appealId: string, current: readonly { id: string }[]): Promise<void> {
    const teacherIds = this.chosenFor(appealId, current);
    if (!teacherIds.length) return;
    this.busy.set(appealId);
    this.error.set(null);
    try {
      await firstValueFrom(
        this.apollo.mutate({ mutation: SetAppealCommissionDocument, variables: { appealId, teacherIds } }),
      );
      this.data.reload();
    } catch (error) {
      this.error.set(errorMessageKey(error));
    } finally {
      this.busy.set(null);
    }
  }
}
