import { randomUUID } from 'node:crypto';
import { BigIntType, DateTimeType, Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { cursorOf } from '../grade-feed/grade-feed';
import { WebhookEndpoint } from './webhook-endpoint.entity';

/**
 * issue 13: one attempt to deliver one feed event to a webhook: the log staff read. The request body is not kept (the
 * feed holds the event) and the response only as a short excerpt (WEBHOOK_RESPONSE_EXCERPT_CHARS).
 */
@ObjectType({ description: 'issue 13: one attempt to deliver a grade event to a webhook.' })
@Entity({ tableName: 'webhook_deliveries' })
@Index({ properties: ['endpoint', 'at'] })
export class WebhookDelivery {
  @Field(() => ID, { description: 'the attempt' })
  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  @ManyToOne(() => WebhookEndpoint, { deleteRule: 'cascade' })
  endpoint!: WebhookEndpoint;

  /** the event's feed position */
  @Property({ type: new BigIntType('number') })
  feedPos!: number;

  @Field(() => Int, { description: 'which attempt of this event it was (1 the first)' })
  @Property({ type: 'integer' })
  attempt!: number;

  @Field(() => Date, { description: 'when the attempt started (server clock)' })
  @Property({ type: DateTimeType })
  at!: Date;

  @Field(() => Boolean, { description: 'whether the receiver accepted it (a 2xx status)' })
  @Property({ type: 'boolean' })
  ok!: boolean;

  @Field(() => Int, { nullable: true, description: "the receiver's HTTP status; null when none came" })
  @Property({ type: 'integer', nullable: true })
  statusCode?: number | null;

  @Field(() => Int, { description: 'how long the attempt took, in milliseconds' })
  @Property({ type: 'integer' })
  durationMs!: number;

  @Field(() => String, {
    nullable: true,
    description: 'why it failed without a status: timeout, refused address, connection error',
  })
  @Property({ type: 'text', nullable: true })
  error?: string | null;

  @Field(() => String, { nullable: true, description: "the start of the receiver's response body" })
  @Property({ type: 'text', nullable: true })
  responseExcerpt?: string | null;

  @Field(() => String, {
    description: "the event's id, as sent in X-Attestation-Event-Id (its cursor in gradeChanges)",
  })
  eventId(): string {
    return cursorOf(this.feedPos);
  }
}
