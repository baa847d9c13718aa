import type { EntityManager } from '@mikro-orm/core';
import { ArgsType, Field, ObjectType, registerEnumType } from 'type-graphql';
import type { Config } from '../../config';
import {
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
import { AnswerStatus } from '../answers/answer.entity';
import { Sitting } from './sitting.entity';
import { ForbiddenError } from '../../common/errors';

/** blind marking: a search by name would say whose a sitting is */
export const blindSearchRefused = () =>
  new ForbiddenError(
    'This exam is marked blind: its students cannot be searched by name until its results are published. Leave `search` out.',
  );

/** Where a student stands at an exam, as its list of sittings filters them (issue 13). */
export enum SittingState {
  NOT_ENTERED = 'NOT_ENTERED',
  ENTERED = 'ENTERED',
  WAITING_FOR_QUESTIONS = 'WAITING_FOR_QUESTIONS',
  QUESTIONS_VIEWED = 'QUESTIONS_VIEWED',
  DRAFT = 'DRAFT',
  SENT = 'SENT',
  GRADED = 'GRADED',
}
registerEnumType(SittingState, {
  name: 'SittingState',
  description: 'Where a student stands at an exam (issue 13, a filter of Exam.sittingsConnection).',
  valuesConfig: {
    NOT_ENTERED: { description: 'has never opened the exam page' },
    ENTERED: { description: 'has opened the exam page at least once' },
    WAITING_FOR_QUESTIONS: { description: 'holds a ticket whose questions are not released to them yet' },
    QUESTIONS_VIEWED: { description: 'has opened the questions' },
    DRAFT: { description: 'has a saved answer that is not sent' },
    SENT: { description: 'has sent the answer' },
    GRADED: { description: 'has a score (published or not)' },
  },
});

/** each state as a condition on `sittings s left join answers a` */
const STATE_SQL: Record<SittingState, string> = {
  [SittingState.NOT_ENTERED]: 's.entered_at is null',
  [SittingState.ENTERED]: 's.entered_at is not null',
  [SittingState.WAITING_FOR_QUESTIONS]: 's.ticket_id is not null and s.questions_released_at is null',
  [SittingState.QUESTIONS_VIEWED]: 's.questions_viewed_at is not null',
  [SittingState.DRAFT]: `a.status = '${AnswerStatus.DRAFT}'`,
  [SittingState.SENT]: `a.status = '${AnswerStatus.SUBMITTED}'`,
  [SittingState.GRADED]: 's.score is not null',
};

@ObjectType({ description: "A page of an exam's sittings, by the students' full names (issue 13)." })
export class SittingConnection extends Connection(Sitting) {}

@ArgsType()
export class SittingsConnectionArgs extends PageArgs {
  @Field(() => String, {
    nullable: true,
    description:
      "part of the student's full name or login, any case (Cyrillic and Kazakh too); at most MAX_SEARCH_CHARS",
  })
  search?: string | null;

  @Field(() => [SittingState], {
    nullable: true,
    description: 'only sittings in one of these states (none given: every sitting)',
  })
  states?: SittingState[] | null;
}

/** issue 13: an exam's sittings a page at a time (who may read them: the resolver asks the sitting policy). */
export class SittingList {
  constructor(private readonly config: Pick<Config, 'maxPageSize' | 'maxSearchChars'>) {}

  /**
   * `studentsHidden` (blind marking, policy/blind.policy.ts): the caller may not know whose each sitting is, so the
   * sittings come by id (an order that says nothing of the names) and a search by student is refused.
   */
  page(
    em: EntityManager,
    examId: string,
    args: SittingsConnectionArgs,
    studentsHidden: boolean,
  ): Promise<Page<Sitting>> {
    const query: ListQuery = studentsHidden
      ? {
          list: 'sittingsBlind',
          from: 'sittings s left join answers a on a.sitting_id = s.id',
          where: [],
          params: [],
          order: [{ sql: 's.id', kind: 'text' }],
        }
      : {
          list: 'sittings',
          from: 'sittings s join users st on st.id = s.student_id left join answers a on a.sitting_id = s.id',
          where: [],
          params: [],
          order: [
            { sql: 'st.full_name', kind: 'text' },
            { sql: 's.id', kind: 'text' },
          ],
        };
    where(query, 's.exam_id = ?', examId);
    const states = [...new Set(args.states ?? [])];
    if (states.length) where(query, states.map((state) => `(${STATE_SQL[state]})`).join(' or '));
    const search = searchText(this.config, args.search);
    if (search && studentsHidden) throw blindSearchRefused();
    whereContains(query, 'st.search_key', search);
    // what the staff pages show of each (as the loader of Exam.sittings): never the answer's text
    return pageOf(em, query, pageRequest(this.config, args), (ids) =>
      inOrder(em, Sitting, ids, { populate: ['student', 'ticket', 'answer', 'gradedBy'] }),
    );
  }
}
