import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { withErrorCodes } from '../../common/errors';
import { Role } from '../users/user.entity';
import { GradeChangePage, GradeEvent } from './grade-event.type';

/** issue 13: the grade feed for other systems (scope grades:read) and staff. */
@Resolver()
export class GradeFeedResolver {
  @Authorized(Role.STAFF)
  @Query(() => GradeChangePage, {
    description: withErrorCodes(
      'issue 13: grade events (published, changed by an appeal or a correction) in commit order, after a cursor; ' +
        'drafts never appear. Keep `endCursor` and ask again with it: no event is missed or repeated. ' +
        'BAD_USER_INPUT for a cursor the feed did not give or `first` outside 1..GRADE_FEED_PAGE_MAX.',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'BAD_USER_INPUT',
    ),
  })
  async gradeChanges(
    @Ctx() ctx: Context,
    @Arg('after', () => String, {
      nullable: true,
      description: 'a cursor from an earlier page (endCursor or an event cursor); omitted: from the first event',
    })
    after?: string | null,
    @Arg('first', () => Int, {
      nullable: true,
      description: 'how many events at most (1..GRADE_FEED_PAGE_MAX, default 100)',
    })
    first?: number | null,
  ): Promise<GradeChangePage> {
    const page = await ctx.services.gradeFeed.page(ctx.em, after, first);
    return Object.assign(new GradeChangePage(), {
      endCursor: page.endCursor,
      hasMore: page.hasMore,
      events: page.events.map((e) =>
        Object.assign(new GradeEvent(), {
          cursor: e.cursor,
          kind: e.kind,
          at: e.at,
          sittingId: e.sittingId,
          exam: page.exams.get(e.examId)!,
          student: page.students.get(e.studentId)!,
          score: e.score,
          letter: e.letter,
          gpa: e.gpa,
          previousScore: e.previousScore,
          reason: e.reason,
          appealId: e.appealId,
        }),
      ),
    });
  }
}
