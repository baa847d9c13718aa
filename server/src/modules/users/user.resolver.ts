import { ForbiddenError, withErrorCodes } from '../../common/errors';
import {
  Arg,
  Args,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import type { Context } from '../../context';
import { bearerToken } from '../auth/auth.service';
import { Role, User } from './user.entity';
import { UserInput } from './user.inputs';
import { UserConnection, UsersConnectionArgs } from './user-list';
import type { Page } from '../../common/connection';

@ObjectType({ description: 'A new session: what `login` gives.' })
export class AuthPayload {
  @Field({
    description:
      'The session token: send it as `Authorization: Bearer <token>` (and in graphql-ws connectionParams); it lasts SESSION_HOURS, until `logout`. Keep it secret.',
  })
  token!: string;

  @Field(() => User, { description: 'The person who signed in.' })
  user!: User;
}

/** who may see or look people up by an external id: staff; an API client's principal has staff's role, and its
 * users:read scope is checked in FIELD_SCOPES */
const mayReadExternalIds = (user: Context['user']): boolean => user?.role === Role.STAFF;

@Resolver(() => User)
export class UserResolver {
  @Query(() => User, { nullable: true, description: 'The signed-in person; null without a valid session token.' })
  me(@Ctx() ctx: Context): User | null {
    return ctx.user;
  }

  @Query(() => Date, {
    description:
      "The server's clock (UTC), so clients count down by it rather than by their own; every rule is timed by it.",
  })
  serverTime(@Ctx() ctx: Context): Date {
    return ctx.services.now();
  }

  @Query(() => String, {
    description: "The university's IANA time zone (the TIME_ZONE setting, e.g. Asia/Almaty): show every time in it.",
  })
  timeZone(@Ctx() ctx: Context): string {
    return ctx.services.config.timeZone;
  }

  @Authorized(Role.STAFF, Role.TEACHER)
  @Query(() => [User], {
    description: withErrorCodes('Staff and teachers: every person, by full name.', 'UNAUTHENTICATED', 'FORBIDDEN'),
  })
  users(
    @Ctx() ctx: Context,
    @Arg('role', () => Role, { nullable: true, description: 'Only people of this role; omitted: everyone.' })
    role?: Role,
  ): Promise<User[]> {
    return ctx.services.userList.all(ctx.em, role);
  }

  @Authorized(Role.STAFF, Role.TEACHER)
  @Query(() => UserConnection, {
    description: withErrorCodes(
      'Staff and teachers (issue 13): people a page at a time by full name, searched by name or login in any case and filtered by role or logins; `users` read a page at a time.',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'BAD_USER_INPUT',
      'BAD_CURSOR',
    ),
  })
  usersConnection(
    @Ctx() ctx: Context,
    @Args(() => UsersConnectionArgs) args: UsersConnectionArgs,
  ): Promise<Page<User>> {
    if (args.externalIds && !mayReadExternalIds(ctx.user))
      throw new ForbiddenError('Only staff (and API clients with users:read) may look people up by external id.');
    return ctx.services.userList.page(ctx.em, args);
  }

  @Mutation(() => AuthPayload, {
    description: withErrorCodes(
      'Signs in and starts a session. A wrong login and a wrong password are refused alike; repeated failures and a full sign-in queue are refused with TOO_MANY_REQUESTS.',
      'UNAUTHENTICATED',
      'TOO_MANY_REQUESTS',
    ),
  })
  login(
    @Ctx() ctx: Context,
    @Arg('login', { description: "The person's sign-in name." }) login: string,
    @Arg('password', { description: 'The password; never logged.' }) password: string,
  ): Promise<AuthPayload> {
    return ctx.services.auth.login(ctx.em, login, password, ctx.clientAddress);
  }

  @Mutation(() => Boolean, {
    description: withErrorCodes(
      "Ends the caller's session on every instance (its open WebSockets are closed with 4401); true when a session ended.",
      'TOO_MANY_REQUESTS',
    ),
  })
  logout(@Ctx() ctx: Context): Promise<boolean> {
    return ctx.services.auth.logout(ctx.em, bearerToken(ctx.authorization));
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "the student information system's own key of the person; shown to staff and to API clients with users:read, null for everyone else",
  })
  externalId(@Root() user: User, @Ctx() ctx: Context): string | null {
    return mayReadExternalIds(ctx.user) ? (user.externalId ?? null) : null;
  }

  @Authorized(Role.STAFF)
  @Mutation(() => [User], {
    description: withErrorCodes(
      'Staff, for other systems: creates people or updates them, found by external id when given, else by login, in one step (at most 5000; nothing is written when one is refused). Returns them in the order sent.',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'BAD_USER_INPUT',
      'EXTERNAL_ID_CLASH',
    ),
  })
  upsertUsers(
    @Ctx() ctx: Context,
    @Arg('users', () => [UserInput], { description: 'The people; each login at most once.' }) users: UserInput[],
  ): Promise<User[]> {
    return ctx.services.users.upsert(ctx.em, users);
  }
}
