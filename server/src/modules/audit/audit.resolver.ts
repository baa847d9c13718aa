import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { ForbiddenError, withErrorCodes } from '../../common/errors';
import { loadersOf } from '../../loaders';
import { canSeeTrail } from '../../policy/sitting.policy';
import { Sitting } from '../sittings/sitting.entity';
import { answerOf, examOf } from '../sittings/sitting-relations';
import { User } from '../users/user.entity';
import { trailAsSeen } from '../blind/blind-view';
import { staffTrail } from './audit-trail';
import { SittingEvent } from './sitting-event.entity';

/** A sitting's audit trail, for appeals. */
@Resolver(() => Sitting)
export class SittingTrailResolver {
  @FieldResolver(() => [SittingEvent], {
    description: withErrorCodes(
      "The audit trail, oldest first, for staff and the exam's teacher (appeals); a draft's entries say when, not what, until it is sent (R7.4).",
      'FORBIDDEN',
    ),
  })
  async events(@Root() sitting: Sitting, @Ctx() ctx: Context): Promise<SittingEvent[]> {
    if (!canSeeTrail(ctx.user, await examOf(ctx.em, sitting)))
      throw new ForbiddenError("Only staff and the exam's teacher see the audit trail.");
    const answer = await answerOf(ctx.em, sitting);
    return trailAsSeen(ctx, sitting, answer, await staffTrail(loadersOf(ctx), sitting, answer));
  }
}

@Resolver(() => SittingEvent)
export class SittingEventResolver {
  @FieldResolver(() => User, {
    nullable: true,
    description:
      'Who did it (a ticket the server drew names the student); null for ANSWER_SENT_AT_END, which the server did.',
  })
  actor(@Root() event: SittingEvent): User | null {
    return event.actor ?? null;
  }
}
