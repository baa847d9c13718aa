import { Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Page } from '../../common/connection';
import { requireUser } from '../../common/auth';
import { related } from '../../common/loaded';
import { Exam } from '../exams/exam.entity';
import { examNotFound } from '../../policy/exam.policy';
import { hidesStudents } from '../../policy/blind.policy';
import { groupBy } from '../../common/batch-loader';
import { Role } from '../users/user.entity';
import { AuditTrailArgs, SittingEventConnection } from './audit-list';
import type { Context } from '../../context';
import { ForbiddenError, withErrorCodes } from '../../common/errors';
import { loadersOf } from '../../loaders';
import { canSeeTrail } from '../../policy/sitting.policy';
import { Sitting } from '../sittings/sitting.entity';
import { answerOf, examOf } from '../sittings/sitting-relations';
import { User } from '../users/user.entity';
import { studentAsSeen, trailAsSeen } from '../blind/blind-view';
import { staffEntries, staffTrail } from './audit-trail';
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

/** issue 13: an exam's whole trail, or a sitting's, a page at a time. */
@Resolver()
export class AuditTrailResolver {
  @Authorized(Role.STAFF, Role.TEACHER)
  @Query(() => SittingEventConnection, {
    description: withErrorCodes(
      "Staff and the exam's teacher (issue 13): an exam's audit trail, or one sitting's, a page at a time, oldest first, filtered by kind and time and searched by student; drafts masked as in Sitting.events, and names as blind marking allows.",
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'BAD_USER_INPUT',
      'BAD_CURSOR',
    ),
  })
  async auditTrailConnection(
    @Ctx() ctx: Context,
    @Args(() => AuditTrailArgs) args: AuditTrailArgs,
  ): Promise<Page<SittingEvent>> {
    const exam = await ctx.em.findOne(Exam, { id: args.examId });
    if (!exam || !canSeeTrail(requireUser(ctx), exam)) throw examNotFound();
    const page = await ctx.services.auditTrail.page(ctx.em, args, hidesStudents(ctx.user, exam));
    const nodes = await staffEntries(loadersOf(ctx), page.nodes);
    // blind marking: each sitting's entries as the caller may see them (a stand-in for the student, neutral file names)
    for (const entries of groupBy(nodes, (e) => e.sitting.id).values())
      await trailAsSeen(ctx, entries[0].sitting, entries[0].sitting.answer ?? null, entries);
    return { ...page, nodes };
  }
}

@Resolver(() => SittingEvent)
export class SittingEventResolver {
  @FieldResolver(() => ID, { description: 'The sitting whose trail holds this entry (Sitting.id).' })
  sittingId(@Root() event: SittingEvent): string {
    return event.sitting.id;
  }

  @FieldResolver(() => User, {
    description:
      'The student whose sitting this is; to a teacher while the exam is blind, the stand-in named by its code (as Sitting.student).',
  })
  async student(@Root() event: SittingEvent, @Ctx() ctx: Context): Promise<User> {
    return studentAsSeen(ctx, await related(ctx.em, event, 'sitting'));
  }

  @FieldResolver(() => User, {
    nullable: true,
    description:
      'Who did it (a ticket the server drew names the student); null for ANSWER_SENT_AT_END, which the server did.',
  })
  actor(@Root() event: SittingEvent): User | null {
    return event.actor ?? null;
  }
}
