import {
  Arg,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Int,
  Mutation,
  ObjectType,
  Resolver,
  Root,
} from 'type-graphql';
import type { Context } from '../../context';
import { CurrentUser } from '../../common/auth';
import { withErrorCodes } from '../../common/errors';
import { ApiClient } from '../api-clients/api-client.entity';
import { Role, type User } from '../users/user.entity';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';

@ObjectType({
  description: 'issue 13: a webhook just added, with its signing secret: the only time the secret is shown.',
})
export class CreatedWebhook {
  @Field(() => WebhookEndpoint, { description: 'the new webhook' })
  webhook!: WebhookEndpoint;

  @Field({
    description:
      'the secret (whsec_…) the receiver checks X-Attestation-Signature with; it is not shown again (remove and add the webhook for a new one)',
  })
  secret!: string;
}

/** issue 13: staff manage an API client's webhooks; API clients cannot (these fields declare no scope). */
@Resolver(() => ApiClient)
export class ApiClientWebhooksResolver {
  @Authorized(Role.STAFF)
  @FieldResolver(() => [WebhookEndpoint], { description: "issue 13: the client's webhooks, oldest first (staff)" })
  webhooks(@Root() client: ApiClient, @Ctx() ctx: Context): Promise<WebhookEndpoint[]> {
    return ctx.services.webhooks.ofClients(ctx.em, [client.id]);
  }

  @Authorized(Role.STAFF)
  @Mutation(() => CreatedWebhook, {
    description: withErrorCodes(
      'issue 13, staff: adds a webhook to an API client; it receives every grade event from now on as a signed POST. ' +
        "BAD_USER_INPUT for a URL that is not https, points into the server's own networks, or beyond WEBHOOKS_PER_CLIENT, " +
        'or for a revoked client.',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'BAD_USER_INPUT',
    ),
  })
  addWebhook(
    @Ctx() ctx: Context,
    @CurrentUser() staff: User,
    @Arg('apiClientId', () => ID, { description: 'the API client whose system receives the events' })
    apiClientId: string,
    @Arg('url', { description: 'the https URL the events are POSTed to' }) url: string,
  ): Promise<CreatedWebhook> {
    return ctx.services.webhooks.add(ctx.em, staff, apiClientId, url);
  }

  @Authorized(Role.STAFF)
  @Mutation(() => WebhookEndpoint, {
    description: withErrorCodes(
      'issue 13, staff: turns a webhook on or off; turning it on also resumes a FAILING one from the event it stopped at.',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
    ),
  })
  setWebhookEnabled(
    @Ctx() ctx: Context,
    @Arg('id', () => ID, { description: 'the webhook' }) id: string,
    @Arg('enabled', { description: 'true: deliver (and resume); false: hold the events' }) enabled: boolean,
  ): Promise<WebhookEndpoint> {
    return ctx.services.webhooks.setEnabled(ctx.em, id, enabled);
  }

  @Authorized(Role.STAFF)
  @Mutation(() => ID, {
    description: withErrorCodes(
      'issue 13, staff: removes a webhook with its delivery log; answers its id.',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
    ),
  })
  removeWebhook(@Ctx() ctx: Context, @Arg('id', () => ID, { description: 'the webhook' }) id: string): Promise<string> {
    return ctx.services.webhooks.remove(ctx.em, id);
  }
}

/** issue 13: what staff see of a webhook's deliveries. */
@Resolver(() => WebhookEndpoint)
export class WebhookEndpointResolver {
  @FieldResolver(() => [WebhookDelivery], {
    description: 'the latest delivery attempts (WEBHOOK_LOG_SHOWN), newest first',
  })
  deliveries(@Root() webhook: WebhookEndpoint, @Ctx() ctx: Context): Promise<WebhookDelivery[]> {
    return ctx.services.webhooks.recentDeliveries(ctx.em, webhook.id);
  }

  @FieldResolver(() => Int, { description: 'grade events not yet delivered to it' })
  pendingEvents(@Root() webhook: WebhookEndpoint, @Ctx() ctx: Context): Promise<number> {
    return ctx.services.webhooks.pending(ctx.em, webhook);
  }
}
