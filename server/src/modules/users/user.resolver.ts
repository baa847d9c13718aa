import { Arg, Authorized, Ctx, Field, FieldResolver, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { bearerToken } from '../auth/auth.service';
import { Role, User } from './user.entity';
import { UserInput } from './user.inputs';

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
    return ctx.em.find(User, role ? { role } : {}, { orderBy: { fullName: 'asc' } });
  }

  @Mutation(() => AuthPayload)
  login(@Ctx() ctx: Context, @Arg('login') login: string, @Arg('password') password: string): Promise<AuthPayload> {
    return ctx.services.auth.login(ctx.em, login, password, ctx.clientAddress);
  }

  @Mutation(() => Boolean)
  logout(@Ctx() ctx: Context): Promise<boolean> {
    return ctx.services.auth.logout(ctx.em, bearerToken(ctx.authorization));
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "the student information system's own key of the person; shown to staff and to API clients with users:read, null for everyone else",
  })
  externalId(@Root() user: User, @Ctx() ctx: Context): string | null {
    // an API client's principal has staff's role; its users:read scope is checked in FIELD_SCOPES
    return ctx.user?.role === Role.STAFF ? (user.externalId ?? null) : null;
  }

  @Authorized(Role.STAFF)
  @Mutation(() => [User], {
    description:
      'other systems: create or update people by external id when given, else by login (EXTERNAL_ID_CLASH when the id belongs to another login)',
  })
  upsertUsers(@Ctx() ctx: Context, @Arg('users', () => [UserInput]) users: UserInput[]): Promise<User[]> {
    return ctx.services.users.upsert(ctx.em, users);
  }
}
