import { DateTimeType, Entity, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../common/base.entity';
import { User } from '../users/user.entity';
import { ApiScope } from './scopes';

/**
 * Another system (an SIS, an ERP) allowed to use the API with a bearer token: a service principal, not a person. Only
 * the SHA-256 of its token is stored; the token itself is shown once, when the client is created.
 */
@ObjectType({ description: 'Another system allowed to use the API with its own token (staff manage them).' })
@Entity({ tableName: 'api_clients' })
export class ApiClient extends BaseEntity {
  @Field({ description: 'A name staff chose, shown in the logs beside everything the client does.' })
  @Property({ type: 'string', length: 100 })
  name!: string;

  /** the scopes, space-separated (column `scopes`) */
  @Property({ type: 'text', fieldName: 'scopes' })
  scopeText!: string;

  /** SHA-256 of the token, hex; no @Field, so it can never be selected over GraphQL */
  @Property({ type: 'string', length: 64, hidden: true })
  @Unique()
  tokenHash!: string;

  @Field({ description: "The token's first characters (e.g. att_Xy3k), to tell tokens apart; never the whole token." })
  @Property({ type: 'string', length: 12 })
  tokenStart!: string;

  @Field(() => Int, {
    nullable: true,
    description: "Requests this client may make per minute; null: the server's API_CLIENT_REQUESTS_PER_MINUTE.",
  })
  @Property({ type: 'integer', nullable: true })
  requestsPerMinute?: number | null;

  @Field(() => User, { nullable: true, description: 'The staff member who created the client (null once removed).' })
  @ManyToOne(() => User, { nullable: true, deleteRule: 'set null' })
  createdBy?: User | null;

  @Field(() => Date, { nullable: true, description: 'When the token was last used (kept to the minute).' })
  @Property({ type: DateTimeType, nullable: true })
  lastUsedAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the client was revoked; its token stops working at once.' })
  @Property({ type: DateTimeType, nullable: true })
  revokedAt?: Date | null;

  @Field(() => [ApiScope], { description: 'What the client may do.' })
  scopes(): ApiScope[] {
    return this.scopeText.split(' ').filter(Boolean) as ApiScope[];
  }

  @Field(() => Date, { name: 'createdAt', description: 'When the client was created.' })
  created(): Date {
    return this.createdAt;
  }
}
