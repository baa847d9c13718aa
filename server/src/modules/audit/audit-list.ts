import type { EntityManager } from '@mikro-orm/core';
import { ArgsType, Field, ID, ObjectType } from 'type-graphql';
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
import { BadUserInputError } from '../../common/errors';
import { plainSql } from '../../common/plain-sql';
import { SittingEvent, SittingEventKind } from './sitting-event.entity';
import { blindSearchRefused } from '../sittings/sitting-list';

@ObjectType({ description: "A page of an exam's audit trail, oldest first (issue 13)." })
export class SittingEventConnection extends Connection(SittingEvent) {}

@ArgsType()
export class AuditTrailArgs extends PageArgs {
  @Field(() => ID, { description: 'the exam whose trail is read (every sitting of it unless sittingId is given)' })
  examId!: string;

  @Field(() => ID, { nullable: true, description: "only this sitting's entries (a sitting of the exam)" })
  sittingId?: string | null;

  @Field(() => [SittingEventKind], {
    nullable: true,
    description: 'only entries of these kinds (none given: every kind)',
  })
  kinds?: SittingEventKind[] | null;

  @Field(() => Date, { nullable: true, description: 'only entries at or after this instant' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'only entries before this instant' })
  to?: Date | null;

  @Field(() => String, {
    nullable: true,
    description:
      "part of the student's full name or login, any case (Cyrillic and Kazakh too); at most MAX_SEARCH_CHARS",
  })
  search?: string | null;
}

/** issue 13: an exam's audit trail a page at a time, by time then id (who may read it: the resolver asks the policy). */
export class AuditTrailList {
  constructor(private readonly config: Pick<Config, 'maxPageSize' | 'maxSearchChars'>) {}

  /** the entries as stored; the caller masks drafts for staff (audit-trail.ts) */
  page(em: EntityManager, args: AuditTrailArgs, studentsHidden: boolean): Promise<Page<SittingEvent>> {
    const db = plainSql(em);
    const query: ListQuery = {
      list: 'auditTrail',
      from: 'sitting_events ev join sittings s on s.id = ev.sitting_id join users st on st.id = s.student_id',
      where: [],
      params: [],
      order: [
        { sql: 'ev.at', kind: 'time' },
        { sql: 'ev.id', kind: 'text' },
      ],
    };
    where(query, 's.exam_id = ?', args.examId);
    if (args.sittingId) where(query, 'ev.sitting_id = ?', args.sittingId);
    const kinds = [...new Set(args.kinds ?? [])];
    if (kinds.length) where(query, `ev.kind in (${kinds.map(() => '?').join(', ')})`, ...kinds);
    if (args.from && args.to && args.from >= args.to)
      throw new BadUserInputError('`from` must be earlier than `to` (entries from `from` up to, not including, `to`).');
    if (args.from) where(query, 'ev.at >= ?', db.time(args.from));
    if (args.to) where(query, 'ev.at < ?', db.time(args.to));
    const search = searchText(this.config, args.search);
    if (search && studentsHidden) throw blindSearchRefused();
    whereContains(query, 'st.search_key', search);
    return pageOf(em, query, pageRequest(this.config, args), (ids) =>
      inOrder(em, SittingEvent, ids, {
        populate: ['actor', 'sitting.student', 'sitting.answer'],
        exclude: ['sitting.answer.text'],
      }),
    );
  }
}
