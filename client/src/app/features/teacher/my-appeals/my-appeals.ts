import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { Apollo } from 'apollo-angular';
import { map } from 'rxjs';
import { errorMessageKey } from '../../../core/graphql/errors';
import { AppealChangedDocument, MyAppealsDocument } from '../../../core/graphql/generated';
import { I18n } from '../../../core/i18n/i18n';
import { appealStatusKey } from '../../../shared/appeal-status/appeal-status';

/** issue 12: a teacher's appeals — those of the commissions staff put them on. */
@Component({
  selector: 'app-my-appeals',
  imports: [MatProgressBarModule, RouterLink],
  template: `
    <h1 class="title">{{ i18n.t('appeals.myTitle') }}</h1>
    @if (data.isLoading()) {
      <mat-progress-bar mode="indeterminate" [attr.aria-label]="i18n.t('app.loading')" />
    }
    @if (loadError(); as key) {
      <p class="error" role="alert">{{ i18n.t(key) }}</p>
    } @else if (data.hasValue() && !appeals().length) {
      <p>{{ i18n.t('appeals.myEmpty') }}</p>
    }
    <ul class="list" data-testid="my-appeals">
      @for (appeal of appeals(); track appeal.id) {
        <li [attr.data-status]="appeal.status">
          <a [routerLink]="['/teaching/appeals', appeal.id]">{{ appeal.student.fullName }}</a>
          — {{ appeal.discipline.title }} ({{ i18n.date(appeal.examStartsAt) }}) ·
          {{ i18n.t(statusKey(appeal.status)) }}
        </li>
      }
    </ul>
  `,
  styles: `
    .title {
      font: var(--mat-sys-headline-small);
      margin: 0 0 16px;
    }
    .list li {
      padding: 6px 0;
    }
    .error {
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MyAppeals {
  private readonly apollo = inject(Apollo);
  protected readonly i18n = inject(I18n);

  protected readonly data = rxResource({
    stream: () =>
      this.apollo
        .query({ query: MyAppealsDocument, fetchPolicy: 'network-only' })
        .pipe(map((r) => r.data?.myAppeals ?? [])),
  });
  protected readonly appeals = computed(() => (this.data.hasValue() ? this.data.value() : []));
  protected readonly loadError = computed(() => (this.data.error() ? errorMessageKey(this.data.error()) : null));

  constructor() {
    const pushes = this.apollo
      .subscribe({ query: AppealChangedDocument })
      .subscribe({ next: () => this.data.reload() });
    inject(DestroyRef).onDestroy(() => pushes.unsubscribe());
  }

  protected readonly statusKey = appealStatusKey;
}
