import { Arg, Args, Authorized, Ctx, Field, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { bearerToken } from '../auth/auth.service';
import { Role, User } from './user.entity';
import { UserInput } from './user.inputs';
import { UserConnection, UsersConnectionArgs } from './user-list';
import type { Page } from '../../common/connection';

@ObjectType()
export class AuthPayload {
  @Field() token!: string;
  @Field(() => User) user!: User;
}

@Resolver(() => User)
export class UserResolver {
  @Query(() => User, { nullable: true })
  me(@Ctx() ctx: Context): User | null {
    return ctx.user;
  }

  @Query(() => Date, { description: "the server's clock, so clients can count down without trusting their own" })
  serverTime(@Ctx() ctx: Context): Date {
    return ctx.services.now();
  }

  @Query(() => String, {
    description: "the university's IANA time zone (e.g. Asia/Almaty); clients show every time in it",
  })
  timeZone(@Ctx() ctx: Context): string {
    return ctx.services.config.timeZone;
  }

  @Authorized(Role.STAFF, Role.TEACHER)
  @Query(() => [User])
  users(@Ctx() ctx: Context, @Arg('role', () => Role, { nullable: true }) role?: Role): Promise<User[]> {
    return ctx.services.userList.all(ctx.em, role);
  }

  @Authorized(Role.STAFF, Role.TEACHER)
  @Query(() => UserConnection, {
    description:
      'issue 13, staff and teachers: people a page at a time by full name, searched by name or login and filtered by role (API clients: users:read)',
  })
  usersConnection(
    @Ctx() ctx: Context,
    @Args(() => UsersConnectionArgs) args: UsersConnectionArgs,
  ): Promise<Page<User>> {
    return ctx.services.userList.page(ctx.em, args);
  }

  @Mutation(() => AuthPayload)
  login(@Ctx() ctx: Context, @Arg('login') login: string, @Arg('password') password: string): Promise<AuthPayload> {
    return ctx.services.auth.login(ctx.em, login, password, ctx.clientAddress);
  }

  @Mutation(() => Boolean)
  logout(@Ctx() ctx: Context): Promise<boolean> {
    return ctx.services.auth.logout(ctx.em, bearerToken(ctx.authorization));
  }

  @Authorized(Role.STAFF)
  @Mutation(() => [User], { description: 'other systems: create or update people by login' })
  upsertUsers(@Ctx() ctx: Context, @Arg('users', () => [UserInput]) users: UserInput[]): Promise<User[]> {
    return ctx.services.users.upsert(ctx.em, users);
  }
}
