import { ChangeDetectionStrategy, Component, inject, input, output, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { errorCode, errorMessageKey } from '../../../core/graphql/errors';
import {
  type WebhookRowFragment,
  type WebhookStatus,
  AddWebhookDocument,
  RemoveWebhookDocument,
  SetWebhookEnabledDocument,
} from '../../../core/graphql/generated';
import { I18n } from '../../../core/i18n/i18n';
import type { MessageKey } from '../../../core/i18n/kk';
import { Confirmation } from '../../../shared/confirm-dialog/confirm-dialog';
import { CopyButton } from '../../../shared/copy-button/copy-button';

/**
 * Staff, issue 13: one API client's webhooks — add a URL (its signing secret shown once), enable, disable or resume,
 * remove, and the latest delivery attempts of each.
 */
@Component({
  selector: 'app-client-webhooks',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, CopyButton],
  templateUrl: './client-webhooks.html',
  styleUrl: './client-webhooks.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ClientWebhooks {
  private readonly apollo = inject(Apollo);
  private readonly confirmation = inject(Confirmation);
  protected readonly i18n = inject(I18n);

  readonly clientId = input.required<string>();
  /** a revoked client gets no new webhooks (its existing ones stop with it) */
  readonly revoked = input(false);
  readonly webhooks = input<readonly WebhookRowFragment[]>([]);
  /** a webhook was added, changed or removed: the list should be read again */
  readonly changed = output<void>();

  protected readonly url = new FormControl('', {
    nonNullable: true,
    validators: [Validators.required, Validators.maxLength(2000), Validators.pattern(/^https?:\/\/\S+$/i)],
  });
  protected readonly form = new FormGroup({ url: this.url });
  /** the secret of the webhook just added: shown until staff close it, never again */
  protected readonly secret = signal<{ url: string; secret: string } | null>(null);
  protected readonly busy = signal(false);
  protected readonly notice = signal<MessageKey | null>(null);

  protected statusLabel(status: WebhookStatus): string {
    return this.i18n.t(`webhooks.status.${status}` as MessageKey);
  }

  protected async add(): Promise<void> {
    if (this.url.invalid) {
      this.url.markAsTouched();
      return;
    }
    await this.run(async () => {
      const result = await firstValueFrom(
        this.apollo.mutate({
          mutation: AddWebhookDocument,
          variables: { apiClientId: this.clientId(), url: this.url.value.trim() },
        }),
      );
      const added = result.data?.addWebhook;
      if (!added) return;
      this.secret.set({ url: added.webhook.url, secret: added.secret });
      this.url.reset();
      this.changed.emit();
    }, 'webhooks.urlRefused');
  }

  /** off, on, or on again after it failed (resumes from the event it stopped at) */
  protected async setEnabled(webhook: WebhookRowFragment, enabled: boolean): Promise<void> {
    await this.run(async () => {
      await firstValueFrom(
        this.apollo.mutate({ mutation: SetWebhookEnabledDocument, variables: { id: webhook.id, enabled } }),
      );
      this.changed.emit();
    });
  }

  protected async remove(webhook: WebhookRowFragment): Promise<void> {
    const yes = await this.confirmation.ask({
      title: this.i18n.t('webhooks.removeTitle', { url: webhook.url }),
      text: this.i18n.t('webhooks.removeText'),
      confirm: this.i18n.t('webhooks.remove'),
    });
    if (!yes) return;
    await this.run(async () => {
      await firstValueFrom(this.apollo.mutate({ mutation: RemoveWebhookDocument, variables: { id: webhook.id } }));
      this.changed.emit();
    });
  }

  /** runs a change; a refusal shows in the user's language (BAD_USER_INPUT as `refusedKey` when given) */
  private async run(work: () => Promise<void>, refusedKey?: MessageKey): Promise<void> {
    this.busy.set(true);
    this.notice.set(null);
    try {
      await work();
    } catch (error) {
      this.notice.set(refusedKey && errorCode(error) === 'BAD_USER_INPUT' ? refusedKey : errorMessageKey(error));
    } finally {
      this.busy.set(false);
    }
  }
}
