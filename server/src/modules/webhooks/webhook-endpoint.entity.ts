import { BigIntType, DateTimeType, Entity, Index, ManyToOne, Property, type Opt } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../common/base.entity';
import { ApiClient } from '../api-clients/api-client.entity';
import { User } from '../users/user.entity';

/** issue 13: where a webhook stands, for staff */
export enum WebhookStatus {
  ACTIVE = 'ACTIVE',
  RETRYING = 'RETRYING',
  FAILING = 'FAILING',
  DISABLED = 'DISABLED',
  CLIENT_REVOKED = 'CLIENT_REVOKED',
}
registerEnumType(WebhookStatus, {
  name: 'WebhookStatus',
  description: 'Where a webhook stands.',
  valuesConfig: {
    ACTIVE: { description: 'events are delivered as they come' },
    RETRYING: { description: 'the last attempt failed; the same event is tried again after a growing wait' },
    FAILING: {
      description:
        'WEBHOOK_MAX_ATTEMPTS attempts of one event failed: later events wait (none is dropped) until staff enable it again',
    },
    DISABLED: { description: 'staff turned it off: events wait until it is enabled again' },
    CLIENT_REVOKED: { description: 'its API client was revoked: nothing is delivered to it any more' },
  },
});

/**
 * issue 13: a URL an API client's system receives the grade feed at. `deliveredPos` is the feed position delivered up
 * to: events go out one at a time in feed order, the next only after the previous one was accepted (2xx). The secret
 * is stored encrypted (webhook-secrets.ts), never returned after it was created. An instance delivering to the
 * endpoint holds a lease on it (leaseOwner, leaseUntil), so only one instance delivers at a time.
 */
@ObjectType({ description: "issue 13: a URL an API client's system receives the grade feed at, as signed POSTs." })
@Entity({ tableName: 'webhook_endpoints' })
export class WebhookEndpoint extends BaseEntity {
  @Index()
  @ManyToOne(() => ApiClient, { deleteRule: 'cascade' })
  apiClient!: ApiClient;

  @Field({ description: 'where the events are POSTed (https)' })
  @Property({ type: 'text' })
  url!: string;

  /** the signing secret, encrypted; no @Field */
  @Property({ type: 'text', hidden: true })
  secretCipher!: string;

  @Field({ description: "the secret's first characters (whsec_…), to tell secrets apart; never the whole secret" })
  @Property({ type: 'string', length: 12 })
  secretStart!: string;

  @Field(() => Boolean, {
    description: 'whether events are delivered; enabling it again also resumes a failing webhook',
  })
  @Property({ type: 'boolean' })
  enabled: boolean & Opt = true;

  @Field(() => Date, {
    nullable: true,
    description: 'since when it is failing (WEBHOOK_MAX_ATTEMPTS attempts of one event failed); null otherwise',
  })
  @Property({ type: DateTimeType, nullable: true })
  failingSince?: Date | null;

  /** the feed position delivered up to (a bigint on PostgreSQL) */
  @Property({ type: new BigIntType('number') })
  deliveredPos: number & Opt = 0;

  @Field(() => Int, { description: 'failed attempts of the event now due (0 after a success)' })
  @Property({ type: 'integer' })
  attempts: number & Opt = 0;

  @Field(() => Date, { nullable: true, description: 'when the next attempt is due after a failure' })
  @Property({ type: DateTimeType, nullable: true })
  nextAttemptAt?: Date | null;

  @Field(() => String, { nullable: true, description: "the last failure's error or HTTP status, until a success" })
  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  /** the instance delivering now, and until when its claim holds */
  @Property({ type: 'string', length: 64, nullable: true })
  leaseOwner?: string | null;

  @Property({ type: DateTimeType, nullable: true })
  leaseUntil?: Date | null;

  @ManyToOne(() => User, { nullable: true, deleteRule: 'set null' })
  createdBy?: User | null;

  @Field(() => WebhookStatus, { description: 'where the webhook stands' })
  status(): WebhookStatus {
    if (this.apiClient.revokedAt) return WebhookStatus.CLIENT_REVOKED;
    if (!this.enabled) return WebhookStatus.DISABLED;
    if (this.failingSince) return WebhookStatus.FAILING;
    return this.attempts > 0 ? WebhookStatus.RETRYING : WebhookStatus.ACTIVE;
  }

  @Field(() => Date, { name: 'createdAt', description: 'when staff added it' })
  created(): Date {
    return this.createdAt;
  }
}
