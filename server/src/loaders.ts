import type { EntityManager } from '@mikro-orm/core';
import { BatchLoader, groupBy } from './common/batch-loader';
import type { Context } from './context';
import { SittingEvent } from './modules/audit/sitting-event.entity';
import { GradeChange } from './modules/grades/grade-change.entity';
import { Appeal } from './modules/appeals/appeal.entity';
import { plainRows } from './common/plain-sql';
import { Sitting } from './modules/sittings/sitting.entity';
import { User } from './modules/users/user.entity';

/** whose files: a ticket's, an answer's, or an exam's task */
export type FileOwner = 'ticket' | 'answer' | 'taskExam' | 'appeal';

/** what the pages show of a stored file (FileRef), read as a plain row */
export interface FileRow {
  id: string;
  name: string;
  size: number;
  contentType: string;
}

const ownerColumn: Record<FileOwner, string> = {
  ticket: 'ticket_id',
  answer: 'answer_id',
  taskExam: 'task_exam_id',
  appeal: 'appeal_id',
};

/**
 * The reads a page's fields share, batched across the items of a list and made once per operation:
 * a list of 30 sittings costs the statements of one. Kept per EntityManager, which every HTTP request
 * and every pushed event forks afresh, so nothing outlives the read it belongs to.
 */
export class ReadLoaders {
  constructor(
    private readonly ctx: Context,
    private readonly em: EntityManager,
  ) {}

  /** the calling student's own sitting at each exam, with its ticket and answer (what the page shows of it) */
  readonly ownSitting = new BatchLoader<string, Sitting | null>(async (examIds) => {
    const studentId = this.ctx.user?.id;
    if (!studentId) return new Map();
    const sittings = await this.em.find(
      Sitting,
      { exam: { $in: examIds }, student: studentId },
      { populate: ['ticket', 'answer'] },
    );
    return new Map(sittings.map((s) => [s.exam.id, s]));
  }, null);

  /** every sitting of each exam, by the students' names, with what the staff pages show of them */
  readonly sittingsOfExam = new BatchLoader<string, Sitting[]>(async (examIds) => {
    const sittings = await this.em.find(
      Sitting,
      { exam: { $in: examIds } },
      { populate: ['student', 'ticket', 'answer', 'gradedBy'], orderBy: { student: { fullName: 'asc' }, id: 'asc' } },
    );
    return groupBy(sittings, (s) => s.exam.id);
  }, []);

  /** the student holding each ticket */
  readonly ticketHolder = new BatchLoader<string, User | null>(async (ticketIds) => {
    const sittings = await this.em.find(Sitting, { ticket: { $in: ticketIds } }, { populate: ['student'] });
    return new Map(sittings.map((s) => [s.ticket!.id, s.student]));
  }, null);

  /** the audit trail of each sitting, oldest first, with who did what */
  readonly trail = new BatchLoader<string, SittingEvent[]>(async (sittingIds) => {
    const events = await this.em.find(
      SittingEvent,
      { sitting: { $in: sittingIds } },
      { populate: ['actor'], orderBy: { at: 'asc', id: 'asc' } },
    );
    return groupBy(events, (e) => e.sitting.id);
  }, []);

  /** people by id (e.g. who graded) */
  readonly user = new BatchLoader<string, User | null>(async (ids) => {
    const users = await this.em.find(User, { id: { $in: ids } });
    return new Map(users.map((u) => [u.id, u]));
  }, null);

  /** the appeal of each sitting (if any), with what the appeal rules read: the sitting's exam and the commission */
  readonly appealOfSitting = new BatchLoader<string, Appeal | null>(async (sittingIds) => {
    const appeals = await this.em.find(
      Appeal,
      { sitting: { $in: sittingIds } },
      { populate: ['sitting.exam', 'commission'] },
    );
    return new Map(appeals.map((a) => [a.sitting.id, a]));
  }, null);

  private readonly filesBy = new Map<FileOwner, BatchLoader<string, FileRow[]>>();

  /** the files of each ticket, answer or task, oldest first, as plain rows (files are only listed here, never changed) */
  files(owner: FileOwner): BatchLoader<string, FileRow[]> {
    let loader = this.filesBy.get(owner);
    if (!loader) {
      const column = ownerColumn[owner];
      loader = new BatchLoader<string, FileRow[]>(async (ownerIds) => {
        const rows = await plainRows<{
          id: string;
          name: string;
          size: number | string;
          content_type: string;
          owner_id: string;
        }>(
          this.em,
          `select id, name, size, content_type, ${column} as owner_id from stored_files where ${column} in (${ownerIds.map(() => '?').join(', ')}) order by created_at, id`,
          ownerIds,
        );
        return groupBy(
          rows,
          (r) => r.owner_id,
          (r) => ({ id: r.id, name: r.name, size: Number(r.size), contentType: r.content_type }),
        );
      }, []);
      this.filesBy.set(owner, loader);
    }
    return loader;
  }

  /** issue 12: each sitting's published-grade history, in the order it was written */
  readonly gradeHistory = new BatchLoader<string, GradeChange[]>(async (sittingIds) => {
    const changes = await this.em.find(GradeChange, { sitting: { $in: sittingIds } }, { orderBy: { seq: 'asc' } });
    return groupBy(changes, (c) => c.sitting.id);
  }, []);
}

const byEntityManager = new WeakMap<EntityManager, ReadLoaders>();

/** the loaders of this operation (of this pushed event, for a subscription) */
export function loadersOf(ctx: Context): ReadLoaders {
  let loaders = byEntityManager.get(ctx.em);
  if (!loaders) byEntityManager.set(ctx.em, (loaders = new ReadLoaders(ctx, ctx.em)));
  return loaders;
}
