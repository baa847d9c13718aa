import { Arg, Authorized, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { CurrentUser } from '../../common/auth';
import { Role, type User } from '../users/user.entity';
import { ApiClient } from './api-client.entity';
import { ApiScope } from './scopes';

@InputType({ description: 'A new API client: who it is and what it may do.' })
export class ApiClientInput {
  @Field({ description: 'a name that says which system it is (1–100 characters), shown in the logs' })
  name!: string;

  @Field(() => [ApiScope], { description: 'what the client may do; at least one' })
  scopes!: ApiScope[];

  @Field(() => Int, {
    nullable: true,
    description: "requests per minute for this client (1–100000); omitted: the server's API_CLIENT_REQUESTS_PER_MINUTE",
  })
  requestsPerMinute?: number | null;
}

@ObjectType({ description: 'A client just created, with its token: the only time the token is shown.' })
export class CreatedApiClient {
  @Field(() => ApiClient, { description: 'the new client' })
  client!: ApiClient;

  @Field({
    description:
      'the bearer token (att_…): send it as `Authorization: Bearer <token>`; it is not stored and cannot be shown again',
  })
  token!: string;
}

/** Staff manage the API clients; clients themselves cannot (these fields declare no scope). */
@Resolver()
export class ApiClientResolver {
  @Authorized(Role.STAFF)
  @Query(() => [ApiClient], { description: 'issue 13: every API client, newest first, revoked ones included (staff)' })
  apiClients(@Ctx() ctx: Context): Promise<ApiClient[]> {
    return ctx.services.apiClients.list(ctx.em);
  }

  @Authorized(Role.STAFF)
  @Mutation(() => CreatedApiClient, {
    description: 'issue 13: creates an API client and answers its token, shown this once (staff)',
  })
  createApiClient(
    @Ctx() ctx: Context,
    @CurrentUser() staff: User,
    @Arg('input', () => ApiClientInput, { description: 'name, scopes and an optional rate limit' })
    input: ApiClientInput,
  ): Promise<CreatedApiClient> {
    return ctx.services.apiClients.create(ctx.em, staff, input);
  }

  @Authorized(Role.STAFF)
  @Mutation(() => ApiClient, {
    description: 'issue 13: revokes an API client: its token is refused at once and its open WebSockets close (staff)',
  })
  revokeApiClient(
    @Ctx() ctx: Context,
    @Arg('id', () => ID, { description: 'the API client to revoke' }) id: string,
  ): Promise<ApiClient> {
    return ctx.services.apiClients.revoke(ctx.em, id);
  }
}
