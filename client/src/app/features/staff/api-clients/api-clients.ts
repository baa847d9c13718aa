import { ChangeDetectionStrategy, Component, inject, signal, viewChild } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormGroupDirective, NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Apollo } from 'apollo-angular';
import { firstValueFrom, map } from 'rxjs';
import { errorMessageKey } from '../../../core/graphql/errors';
import {
  type ApiClientRowFragment,
  type ApiScope,
  ApiClientsDocument,
  CreateApiClientDocument,
  RevokeApiClientDocument,
} from '../../../core/graphql/generated';
import { I18n } from '../../../core/i18n/i18n';
import type { MessageKey } from '../../../core/i18n/kk';
import { Confirmation } from '../../../shared/confirm-dialog/confirm-dialog';
import { CopyButton } from '../../../shared/copy-button/copy-button';

/** the scopes in the order the server lists them (users, calendar, exams, grades, audit, then the newer ones) */
const SCOPES: readonly ApiScope[] = [
  'USERS_READ',
  'USERS_WRITE',
  'CALENDAR_READ',
  'EXAMS_READ',
  'EXAMS_WRITE',
  'GRADES_READ',
  'AUDIT_READ',
  'CALENDAR_WRITE',
  'APPEALS_READ',
];

/** Staff: the other systems that use the API — list them, create one (its token shown once) and revoke one. */
@Component({
  selector: 'app-api-clients',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    CopyButton,
  ],
  templateUrl: './api-clients.html',
  styleUrl: './api-clients.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ApiClients {
  private readonly apollo = inject(Apollo);
  private readonly confirmation = inject(Confirmation);
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly i18n = inject(I18n);
  protected readonly scopes = SCOPES;

  protected readonly form = this.fb.group({
    name: ['', [Validators.required, Validators.maxLength(100)]],
    scopes: this.fb.group(Object.fromEntries(SCOPES.map((s) => [s, false])) as Record<ApiScope, boolean>),
    requestsPerMinute: [null as number | null, [Validators.min(1), Validators.max(100_000)]],
  });

  /** reset through the directive too, so the emptied form does not show as submitted with errors */
  private readonly formDirective = viewChild.required(FormGroupDirective);

  protected readonly clients = rxResource({
    stream: () =>
      this.apollo
        .query({ query: ApiClientsDocument, fetchPolicy: 'network-only' })
        .pipe(map((r) => r.data?.apiClients ?? [])),
  });
  /** the token of the client just created: shown until staff close it, never again */
  protected readonly created = signal<{ name: string; token: string } | null>(null);
  protected readonly busy = signal(false);
  protected readonly notice = signal<MessageKey | null>(null);
  protected readonly noScope = signal(false);

  protected scopeLabel(scope: ApiScope): string {
    return this.i18n.t(`apiClients.scope.${scope}` as MessageKey);
  }

  protected async create(): Promise<void> {
    const chosen = SCOPES.filter((s) => this.form.controls.scopes.controls[s].value);
    this.noScope.set(chosen.length === 0);
    if (this.form.invalid || chosen.length === 0) {
      this.form.markAllAsTouched();
      return;
    }
    const { name, requestsPerMinute } = this.form.getRawValue();
    await this.run(async () => {
      const result = await firstValueFrom(
        this.apollo.mutate({
          mutation: CreateApiClientDocument,
          variables: { input: { name: name.trim(), scopes: chosen, requestsPerMinute: requestsPerMinute || null } },
        }),
      );
      const made = result.data?.createApiClient;
      if (!made) return;
      this.created.set({ name: made.client.name, token: made.token });
      this.formDirective().resetForm();
      this.clients.reload();
    });
  }

  protected async revoke(client: ApiClientRowFragment): Promise<void> {
    const yes = await this.confirmation.ask({
      title: this.i18n.t('apiClients.revokeTitle', { name: client.name }),
      text: this.i18n.t('apiClients.revokeText'),
      confirm: this.i18n.t('apiClients.revoke'),
    });
    if (!yes) return;
    await this.run(async () => {
      await firstValueFrom(this.apollo.mutate({ mutation: RevokeApiClientDocument, variables: { id: client.id } }));
      this.clients.reload();
    });
  }

  private async run(work: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.notice.set(null);
    try {
      await work();
    } catch (error) {
      this.notice.set(errorMessageKey(error));
    } finally {
      this.busy.set(false);
    }
  }
}
