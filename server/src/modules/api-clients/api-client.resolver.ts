import { Arg, Authorized, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { CurrentUser } from '../../common/auth';
import { withErrorCodes } from '../../common/errors';
import { Role, type User } from '../users/user.entity';
import { ApiClient } from './api-client.entity';
import { ApiScope } from './scopes';

@InputType({ description: 'A new API client: who it is and what it may do.' })
export class ApiClientInput {
  @Field({ description: 'A name that says which system it is (1–100 characters), shown in the logs.' })
  name!: string;

  @Field(() => [ApiScope], { description: 'What the client may do; at least one.' })
  scopes!: ApiScope[];

  @Field(() => Int, {
    nullable: true,
    description:
      "Requests per minute for this client (1–100000); omitted: the server's API_CLIENT_REQUESTS_PER_MINUTE.",
  })
  requestsPerMinute?: number | null;
}

@ObjectType({ description: 'A client just created, with its token: the only time the token is shown.' })
export class CreatedApiClient {
  @Field(() => ApiClient, { description: 'The new client.' })
  client!: ApiClient;

  @Field({
    description:
      'The bearer token (att_…): send it as `Authorization: Bearer <token>`; it is not stored and cannot be shown again.',
  })
  token!: string;
}

/** Staff manage the API clients; clients themselves cannot (these fields declare no scope). */
@Resolver()
export class ApiClientResolver {
  @Authorized(Role.STAFF)
  @Query(() => [ApiClient], {
    description: withErrorCodes(
      'Staff: every API client (another system with a token of its own), newest first, revoked ones included. Never shows a token, only its first characters.',
      'UNAUTHENTICATED',
      'FORBIDDEN',
    ),
  })
  apiClients(@Ctx() ctx: Context): Promise<ApiClient[]> {
    return ctx.services.apiClients.list(ctx.em);
  }

  @Authorized(Role.STAFF)
  @Mutation(() => CreatedApiClient, {
    description: withErrorCodes(
      'Staff create an API client for another system (an SIS, an ERP): it acts as itself, not as a person, and may use a field only when it holds the scope the field names. Answers the client and its bearer token, shown this once; only its SHA-256 is stored.',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'BAD_USER_INPUT',
    ),
  })
  createApiClient(
    @Ctx() ctx: Context,
    @CurrentUser() staff: User,
    @Arg('input', () => ApiClientInput, { description: 'The name, the scopes and an optional rate limit of its own.' })
    input: ApiClientInput,
  ): Promise<CreatedApiClient> {
    return ctx.services.apiClients.create(ctx.em, staff, input);
  }

  @Authorized(Role.STAFF)
  @Mutation(() => ApiClient, {
    description: withErrorCodes(
      'Staff revoke an API client: its token is refused (UNAUTHENTICATED) from the next request on, on every instance, and its open WebSockets close with 4401. Revoking again changes nothing and answers the client.',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
    ),
  })
  revokeApiClient(
    @Ctx() ctx: Context,
    @Arg('id', () => ID, { description: 'The API client to revoke (ApiClient.id).' }) id: string,
  ): Promise<ApiClient> {
    return ctx.services.apiClients.revoke(ctx.em, id);
  }
}
