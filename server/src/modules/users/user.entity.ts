import { Entity, Enum, Property, Unique } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../common/base.entity';

export enum Role {
  STUDENT = 'STUDENT',
  TEACHER = 'TEACHER',
  STAFF = 'STAFF',
}
registerEnumType(Role, { name: 'Role' });

@ObjectType()
@Entity({ tableName: 'users' })
export class User extends BaseEntity {
  @Field()
  @Property({ type: 'string', length: 100 })
  @Unique()
  login!: string;

  @Field()
  @Property({ type: 'string', length: 300 })
  fullName!: string;

  @Field(() => Role)
  @Enum({ items: () => Role })
  role!: Role;

  /** issue 13: the student information system's key of the person; GraphQL shows it to staff and users:read clients only (UserResolver) */
  @Property({ type: 'string', length: 100, nullable: true })
  @Unique()
  externalId?: string | null;

  /** scrypt hash; no @Field, so it can never be selected over GraphQL */
  @Property({ type: 'string', nullable: true, hidden: true, lazy: false })
  passwordHash?: string | null;
}
