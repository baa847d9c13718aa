import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatRadioModule } from '@angular/material/radio';
import { Apollo } from 'apollo-angular';
import { firstValueFrom, map } from 'rxjs';
import { Session } from '../../../core/auth/session';
import { errorMessageKey } from '../../../core/graphql/errors';
import { AppealCaseDocument, type AppealDecision, DecideAppealDocument } from '../../../core/graphql/generated';
import { I18n } from '../../../core/i18n/i18n';
import type { MessageKey } from '../../../core/i18n/kk';
import { FileList } from '../../../shared/file-list/file-list';
import { eventDetail } from '../../staff/audit-trail/audit-trail';
import { parseScore } from '../../../shared/grade-scale/grade-scale';
import { appealStatusKey } from '../../../shared/appeal-status/appeal-status';

/**
 * issue 12: an appeal before its commission (or staff) — the sent answer, the ticket's questions, the files, the
 * audit trail and the recording side by side, the student's reasons, and the decision with its reason.
 */
@Component({
  selector: 'app-appeal-review',
  imports: [
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatRadioModule,
    FileList,
  ],
  templateUrl: './appeal-review.html',
  styleUrl: './appeal-review.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AppealReview {
  private readonly apollo = inject(Apollo);
  private readonly user = inject(Session).user;
  protected readonly i18n = inject(I18n);

  /** the route's :appealId */
  readonly appealId = input.required<string>();

  protected readonly data = rxResource({
    params: () => this.appealId(),
    stream: ({ params: id }) =>
      this.apollo
        .query({ query: AppealCaseDocument, variables: { id }, fetchPolicy: 'network-only' })
        .pipe(map((r) => r.data!.appeal)),
  });
  protected readonly appeal = computed(() => (this.data.hasValue() ? this.data.value() : null));
  protected readonly loadError = computed(() => (this.data.error() ? errorMessageKey(this.data.error()) : null));
  /** staff, or a teacher on the commission, while the appeal is before the commission */
  protected readonly canDecide = computed(() => {
    const appeal = this.appeal();
    const user = this.user();
    if (!appeal || !user || appeal.status !== 'UNDER_REVIEW') return false;
    return user.role === 'STAFF' || appeal.commission.some((t) => t.id === user.id);
  });

  protected readonly decision = signal<AppealDecision>('KEPT');
  protected readonly score = signal('');
  protected readonly reason = signal('');
  protected readonly busy = signal(false);
  protected readonly error = signal<MessageKey | null>(null);
  protected readonly parsedScore = computed(() => parseScore(this.score()));
  protected readonly ready = computed(
    () => !!this.reason().trim() && (this.decision() === 'KEPT' || this.parsedScore() !== null),
  );

  protected readonly statusKey = appealStatusKey;

  protected kindLabel(kind: string): string {
    return this.i18n.t(`trail.kind.${kind}` as MessageKey);
  }

  protected detail(detail: string | null | undefined): string {
    return eventDetail(this.i18n, detail ?? null);
  }

  protected names(people: readonly { fullName: string }[]): string {
    return people.map((p) => p.fullName).join(', ');
  }

  protected async decide(event: Event): Promise<void> {
    event.preventDefault();
    if (!this.ready() || this.busy()) return;
    this.busy.set(true);
    this.error.set(null);
    try {
      await firstValueFrom(
        this.apollo.mutate({
          mutation: DecideAppealDocument,
          variables: {
            appealId: this.appealId(),
            decision: this.decision(),
            reason: this.reason().trim(),
            score: this.decision() === 'CHANGED' ? this.parsedScore() : null,
          },
        }),
      );
      this.data.reload();
    } catch (error) {
      this.error.set(errorMessageKey(error));
    } finally {
      this.busy.set(false);
    }
  }
}
