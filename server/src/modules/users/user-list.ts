import type { EntityManager } from '@mikro-orm/core';
import { ArgsType, Field, ObjectType } from 'type-graphql';
import type { Config } from '../../config';
import {
  allIds,
  Connection,
  inOrder,
  PageArgs,
  pageOf,
  pageRequest,
  searchText,
  where,
  whereContains,
  type ListQuery,
  type Page,
} from '../../common/connection';
import { BadUserInputError } from '../../common/errors';
import { Role, User } from './user.entity';

@ObjectType({ description: 'A page of people, by full name (issue 13).' })
export class UserConnection extends Connection(User) {}

/** logins one `logins` filter may name (a pasted class list) */
const MAX_LOGINS = 1_000;

@ArgsType()
export class UsersConnectionArgs extends PageArgs {
  @Field(() => String, {
    nullable: true,
    description: 'part of the full name or login, any case (Cyrillic and Kazakh letters too); at most MAX_SEARCH_CHARS',
  })
  search?: string | null;

  @Field(() => Role, { nullable: true, description: 'only people of this role' })
  role?: Role | null;

  @Field(() => [String], {
    nullable: true,
    description: 'only these logins, exactly (any case; at most 1,000), e.g. a class list pasted into the exam form',
  })
  logins?: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description:
      "only these external ids (the student information system's keys), exactly; at most 1,000. Staff and API clients with users:read only, as User.externalId",
  })
  externalIds?: string[] | null;
}

/** People by full name, then id; the filters as asked. */
function usersQuery(
  config: Pick<Config, 'maxSearchChars'>,
  args: Omit<UsersConnectionArgs, 'first' | 'after'>,
): ListQuery {
  const query: ListQuery = {
    list: 'users',
    from: 'users u',
    where: [],
    params: [],
    order: [
      { sql: 'u.full_name', kind: 'text' },
      { sql: 'u.id', kind: 'text' },
    ],
  };
  if (args.role) where(query, 'u.role = ?', args.role);
  if (args.logins) {
    if (args.logins.length > MAX_LOGINS) throw new BadUserInputError(`Name at most ${MAX_LOGINS} logins at once.`);
    const logins = [...new Set(args.logins.map((l) => l.trim().toLowerCase()))];
    // an empty list matches no one
    where(query, logins.length ? `lower(u.login) in (${logins.map(() => '?').join(', ')})` : '1 = 0', ...logins);
  }
  if (args.externalIds) {
    if (args.externalIds.length > MAX_LOGINS)
      throw new BadUserInputError(`Name at most ${MAX_LOGINS} external ids at once.`);
    const ids = [...new Set(args.externalIds.map((id) => id.trim()))];
    where(query, ids.length ? `u.external_id in (${ids.map(() => '?').join(', ')})` : '1 = 0', ...ids);
  }
  whereContains(query, 'u.search_key', searchText(config, args.search));
  return query;
}

/** issue 13: the people lists (staff and teachers read them: the resolvers say so) */
export class UserList {
  constructor(private readonly config: Pick<Config, 'maxPageSize' | 'maxSearchChars'>) {}

  page(em: EntityManager, args: UsersConnectionArgs): Promise<Page<User>> {
    return pageOf(em, usersQuery(this.config, args), pageRequest(this.config, args), (ids) => inOrder(em, User, ids));
  }

  /** the contract's `users(role)`: everyone of the role, in the same order */
  async all(em: EntityManager, role?: Role | null): Promise<User[]> {
    return inOrder(em, User, await allIds(em, usersQuery(this.config, { role })));
  }
}
