import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { Config } from '../../config';
import type { ExamEvents, SittingEventPayload } from '../../common/events';
import { logger } from '../../common/logger';
import { plainSql } from '../../common/plain-sql';
import { endFor, isSubstantialAnswer, MIN_ANSWER_CHARS } from '../../rules';
import { insertEvent, SittingEventKind } from '../audit/audit.service';
import { AnswerSendMode, AnswerStatus } from './answer.entity';

type Settings = Pick<Config, 'autoSendAtEnd' | 'autoSendSweepMs' | 'autoSendBatch' | 'sendGraceMs'>;

interface DraftRow {
  answer_id: string;
  text: string;
  sitting_id: string;
  student_id: string;
  exam_id: string;
  ends_at: unknown;
  ends_at_override: unknown;
  files: number | string;
}

/**
 * The drafts due: at an exam that sends drafts (its own choice, else the server's), whose student's end (extra time
 * included) and the grace for a late Send have passed. `length(text)` only narrows: the exact answer minimum is
 * `isSubstantialAnswer`, applied to each row. Keyset order, so a round never sees a row twice.
 */
const dueDrafts = (serverDefault: boolean) => `select a.id as answer_id, a.text, s.id as sitting_id, s.student_id,
  e.id as exam_id, e.ends_at, s.ends_at_override,
  (select count(*) from stored_files f where f.answer_id = a.id and f.size > 0) as files
from answers a
join sittings s on s.id = a.sitting_id
join exams e on e.id = s.exam_id
where a.status = ? and a.id > ?
  and e.auto_send_at_end ${serverDefault ? 'is not false' : 'is true'}
  and (case when s.ends_at_override > e.ends_at then s.ends_at_override else e.ends_at end) <= ?
  and (length(a.text) >= ${MIN_ANSWER_CHARS}
    or exists (select 1 from stored_files f2 where f2.answer_id = a.id and f2.size > 0))
order by a.id
limit ?`;

/**
 * Sends a student's draft for them at their end (R7.5 with Exam.autoSendAtEnd): SUBMITTED, `submittedAt` = the end,
 * marked AUTOMATIC, with a trail entry. Every instance sweeps; the update is conditional on the draft still being a
 * draft, so when two sweep at once (or a late Send arrives) one wins and writes the trail, the other changes nothing.
 */
export class DraftSender {
  constructor(
    private readonly settings: Settings,
    private readonly events: ExamEvents,
  ) {}

  /** One sweep at `now`, in bounded rounds until no due draft is left; the number this sweep sent. */
  async sweep(em: EntityManager, now: Date): Promise<number> {
    const sql = plainSql(em);
    const cutoff = sql.time(new Date(now.getTime() - this.settings.sendGraceMs));
    const statement = dueDrafts(this.settings.autoSendAtEnd);
    let after = '';
    let sent = 0;
    for (;;) {
      const rows = await sql.rows<DraftRow>(statement, [
        AnswerStatus.DRAFT,
        after,
        cutoff,
        this.settings.autoSendBatch,
      ]);
      const changed: SittingEventPayload[] = [];
      for (const row of rows) {
        const files = Number(row.files);
        if (!isSubstantialAnswer(row.text, files)) continue; // too little to count: it stays an unsent draft
        const end = endFor({ endsAt: sql.date(row.ends_at)! }, { endsAtOverride: sql.date(row.ends_at_override) });
        const at = sql.time(end);
        const updated = await sql.transaction(async (tx) => {
          const rowsChanged = await tx.run(
            'update answers set status = ?, submitted_at = ?, send_mode = ?, updated_at = ? where id = ? and status = ?',
            [AnswerStatus.SUBMITTED, at, AnswerSendMode.AUTOMATIC, sql.time(now), row.answer_id, AnswerStatus.DRAFT],
          );
          if (rowsChanged) {
            await insertEvent(
              tx,
              row.sitting_id,
              SittingEventKind.ANSWER_SENT_AT_END,
              null,
              at,
              `${[...row.text].length} characters, ${files} file(s)`,
            );
          }
          return rowsChanged;
        });
        if (updated) changed.push({ examId: row.exam_id, sittingId: row.sitting_id, studentId: row.student_id });
      }
      // after commit: each exam's students and room hear of their sent answers in one message
      for (const examId of new Set(changed.map((c) => c.examId))) {
        this.events.sittingsChanged(
          examId,
          changed.filter((c) => c.examId === examId),
        );
      }
      sent += changed.length;
      if (rows.length < this.settings.autoSendBatch) return sent;
      after = rows[rows.length - 1].answer_id;
    }
  }

  /**
   * Sweeps once now and then every AUTO_SEND_SWEEP_MS (a sweep never overlaps the next); a failure is logged and the
   * next tick tries again. The returned stop ends the ticks; a sweep still running is left to `track` (shutdown waits).
   */
  start(orm: MikroORM, clock: () => Date, track: (work: Promise<unknown>) => void): () => void {
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    const tick = () => {
      // started inside the promise, so nothing a sweep throws (even at once) escapes as an uncaught exception
      const work = Promise.resolve()
        .then(() => this.sweep(orm.em.fork(), clock()))
        .then((sent) => {
          if (sent) logger.info({ sent }, 'auto-send: drafts sent at their end');
        })
        .catch((error: unknown) => logger.error({ err: error }, 'auto-send: the sweep failed; retrying next tick'))
        .finally(() => {
          if (!stopped) timer = setTimeout(tick, this.settings.autoSendSweepMs);
        });
      track(work);
    };
    tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }
}
