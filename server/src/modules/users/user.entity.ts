import { BeforeCreate, BeforeUpdate, Entity, Enum, Property, Unique, type Opt } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../common/base.entity';
import { searchKeyOf } from '../../common/search-text';

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

  /** scrypt hash; no @Field, so it can never be selected over GraphQL */
  @Property({ type: 'string', nullable: true, hidden: true, lazy: false })
  passwordHash?: string | null;

  /** issue 13: name and login folded for search (common/search-text.ts), kept by the hooks below; never selected over GraphQL */
  @Property({ type: 'string', length: 500, hidden: true })
  searchKey: string & Opt = '';

  @BeforeCreate()
  @BeforeUpdate()
  protected keepSearchKey(): void {
    this.searchKey = searchKeyOf(this.fullName, this.login);
  }
}
