import { withErrorCodes } from '../../common/errors';
import { Arg, Authorized, Ctx, Field, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { bearerToken } from '../auth/auth.service';
import { Role, User } from './user.entity';
import { UserInput } from './user.inputs';

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
    return ctx.em.find(User, role ? { role } : {}, { orderBy: { fullName: 'asc' } });
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

  @Authorized(Role.STAFF)
  @Mutation(() => [User], {
    description: withErrorCodes(
      'Staff, for other systems: creates people or updates them, found by login, in one step (at most 5000). Returns them in the order sent.',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'BAD_USER_INPUT',
    ),
  })
  upsertUsers(
    @Ctx() ctx: Context,
    @Arg('users', () => [UserInput], { description: 'The people; each login at most once.' }) users: UserInput[],
  ): Promise<User[]> {
    return ctx.services.users.upsert(ctx.em, users);
  }
}
