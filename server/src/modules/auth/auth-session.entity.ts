import { Entity, ManyToOne, Property, Unique, DateTimeType } from '@mikro-orm/core';
import { BaseEntity } from '../../common/base.entity';
import { User } from '../users/user.entity';

/** A revocable login; only the SHA-256 of the bearer token is stored. */
@Entity({ tableName: 'auth_sessions' })
export class AuthSession extends BaseEntity {
  @Property({ type: 'string', length: 64 })
  @Unique()
  tokenHash!: string;

  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user!: User;

  @Property({ type: DateTimeType })
  expiresAt!: Date;
}
