import type { EntityManager } from '@mikro-orm/core';
import type { Config } from '../../config';
import { BadUserInputError, NotFoundError } from '../../common/errors';
import { logger } from '../../common/logger';
import { plainSql } from '../../common/plain-sql';
import { ApiClient } from '../api-clients/api-client.entity';
import { feedHead, feedPositionColumn } from '../grade-feed/grade-feed';
import { User } from '../users/user.entity';
import { checkWebhookUrl } from './outbound';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { newWebhookSecret, SECRET_START_CHARS, type WebhookSecrets } from './webhook-secrets';

type Settings = Pick<Config, 'webhooksPerClient' | 'webhookAllowedHosts' | 'webhookLogShown'>;

/** issue 13: staff register, enable, disable and remove the webhooks of an API client. */
export class WebhookService {
  constructor(
    private readonly settings: Settings,
    private readonly secrets: WebhookSecrets,
  ) {}

  /**
   * A new webhook of a live client, at most WEBHOOKS_PER_CLIENT each; it receives the events after the feed's head now.
   * The secret is answered this once.
   */
  async add(
    em: EntityManager,
    staff: Pick<User, 'id'>,
    apiClientId: string,
    rawUrl: string,
  ): Promise<{ webhook: WebhookEndpoint; secret: string }> {
    const client = await em.findOne(ApiClient, { id: apiClientId });
    if (!client) throw new NotFoundError('There is no such API client.');
    if (client.revokedAt)
      throw new BadUserInputError('This API client was revoked; create a new client for the system instead.');
    const url = checkWebhookUrl(rawUrl, this.settings.webhookAllowedHosts);
    const count = await em.count(WebhookEndpoint, { apiClient: client.id });
    if (count >= this.settings.webhooksPerClient)
      throw new BadUserInputError(
        `An API client has at most ${this.settings.webhooksPerClient} webhooks (WEBHOOKS_PER_CLIENT); remove one first.`,
      );
    const secret = newWebhookSecret();
    const webhook = em.create(WebhookEndpoint, {
      apiClient: client,
      url: url.toString(),
      secretCipher: this.secrets.seal(secret),
      secretStart: secret.slice(0, SECRET_START_CHARS),
      deliveredPos: await feedHead(em),
      createdBy: em.getReference(User, staff.id),
    });
    await em.flush();
    logger.info(
      { event: 'webhook-added', apiClient: { id: client.id, name: client.name }, webhook: webhook.id, host: url.host },
      'webhook added',
    );
    return { webhook, secret };
  }

  private async find(em: EntityManager, id: string): Promise<WebhookEndpoint> {
    const webhook = await em.findOne(WebhookEndpoint, { id }, { populate: ['apiClient'] });
    if (!webhook) throw new NotFoundError('There is no such webhook.');
    return webhook;
  }

  /** Enabling resumes a failing webhook from the event it was stuck at, with a fresh count of attempts. */
  async setEnabled(em: EntityManager, id: string, enabled: boolean): Promise<WebhookEndpoint> {
    const webhook = await this.find(em, id);
    webhook.enabled = enabled;
    if (enabled) Object.assign(webhook, { failingSince: null, attempts: 0, nextAttemptAt: null });
    await em.flush();
    logger.info(
      {
        event: enabled ? 'webhook-enabled' : 'webhook-disabled',
        apiClient: { id: webhook.apiClient.id, name: webhook.apiClient.name },
        webhook: id,
      },
      enabled ? 'webhook enabled' : 'webhook disabled',
    );
    return webhook;
  }

  /** Removes a webhook and its delivery log; answers its id. */
  async remove(em: EntityManager, id: string): Promise<string> {
    const webhook = await this.find(em, id);
    await em.nativeDelete(WebhookDelivery, { endpoint: id });
    await em.nativeDelete(WebhookEndpoint, { id });
    logger.info(
      { event: 'webhook-removed', apiClient: { id: webhook.apiClient.id, name: webhook.apiClient.name }, webhook: id },
      'webhook removed',
    );
    return id;
  }

  /** the webhooks of some clients, oldest first */
  ofClients(em: EntityManager, clientIds: readonly string[]): Promise<WebhookEndpoint[]> {
    return em.find(
      WebhookEndpoint,
      { apiClient: { $in: [...clientIds] } },
      // the client too: a revoked client's webhooks say so (status CLIENT_REVOKED)
      { orderBy: { createdAt: 'asc', id: 'asc' }, populate: ['apiClient'] },
    );
  }

  /** the latest WEBHOOK_LOG_SHOWN attempts, newest first */
  recentDeliveries(em: EntityManager, webhookId: string): Promise<WebhookDelivery[]> {
    return em.find(
      WebhookDelivery,
      { endpoint: webhookId },
      { orderBy: { at: 'desc', attempt: 'desc' }, limit: this.settings.webhookLogShown },
    );
  }

  /** events of the feed not yet delivered to the webhook */
  async pending(em: EntityManager, webhook: WebhookEndpoint): Promise<number> {
    const [row] = await plainSql(em).rows<{ n: number | string }>(
      `select count(*) as n from grade_changes where ${feedPositionColumn(em)} > ?`,
      [webhook.deliveredPos],
    );
    return Number(row?.n ?? 0);
  }
}
