import type { EntityManager } from '@mikro-orm/core';
import {
  ExamNotEndedError,
  ResultsAlreadyPublishedError,
  UngradedAnswersError,
  BadUserInputError,
} from '../../common/errors';
import type { ExamEvents } from '../../common/events';
import { plainSql } from '../../common/plain-sql';
import { insertEvents, SittingEventKind } from '../audit/audit.service';
import { AnswerStatus } from '../answers/answer.entity';
import { ResultsRelease, type Exam } from '../exams/exam.entity';
import type { User } from '../users/user.entity';
import { insertPublications } from './grade-history';

/** what a publication did: the sittings whose grades it published */
export interface Publication {
  exam: Exam;
  published: number;
}

interface GradedRow {
  id: string;
  student_id: string;
  score: number | string;
  letter: string;
  gpa: number | string;
}

/**
 * issue 12: publishing an exam's results (ON_PUBLICATION). Refused before the exam's last end plus the send grace
 * (EXAM_NOT_ENDED), while a sent answer is ungraded (UNGRADED_ANSWERS) and a second time (RESULTS_ALREADY_PUBLISHED).
 * One short plain-SQL transaction claims the exam, publishes every graded sitting (one UPDATE … RETURNING) and writes
 * their history and trail in multi-row INSERTs; after the commit one event tells every student and staff's room.
 */
export class ResultsPublisher {
  constructor(
    private readonly events: ExamEvents,
    private readonly sendGraceMs: number,
  ) {}

  async publish(em: EntityManager, actor: Pick<User, 'id'>, exam: Exam, now: Date): Promise<Publication> {
    if (exam.resultsRelease === ResultsRelease.AT_ONCE) {
      throw new BadUserInputError(
        'This exam publishes each grade as it is saved (AT_ONCE); there are no results to publish together.',
      );
    }
    if (exam.resultsPublishedAt) throw alreadyPublished(exam.resultsPublishedAt);
    const sql = plainSql(em);
    const at = sql.time(now);
    const graded = await sql.transaction(async (tx) => {
      const [{ last_end }] = await tx.rows<{ last_end: unknown }>(
        'select max(ends_at_override) as last_end from sittings where exam_id = ?',
        [exam.id],
      );
      const lastOverride = sql.date(last_end);
      const lastEnd = lastOverride && lastOverride > exam.endsAt ? lastOverride : exam.endsAt;
      const openUntil = new Date(lastEnd.getTime() + this.sendGraceMs);
      if (now < openUntil) {
        throw new ExamNotEndedError(
          `The exam is not over: its last student's time ends at ${lastEnd.toISOString()} and a Send is taken until ` +
            `${openUntil.toISOString()}; publish the results after that.`,
        );
      }
      const [{ n }] = await tx.rows<{ n: number | string }>(
        `select count(*) as n from sittings s join answers a on a.sitting_id = s.id
         where s.exam_id = ? and a.status = ? and s.score is null`,
        [exam.id, AnswerStatus.SUBMITTED],
      );
      if (Number(n) > 0) {
        throw new UngradedAnswersError(
          `${n} sent answer${Number(n) === 1 ? ' is' : 's are'} not graded yet; grade every sent answer, then publish.`,
          Number(n),
        );
      }
      const claimed = await tx.run(
        'update exams set results_published_at = ?, results_published_by_id = ?, updated_at = ? where id = ? and results_published_at is null',
        [at, actor.id, at, exam.id],
      );
      if (!claimed) throw alreadyPublished(null);
      const rows = await tx.rows<GradedRow>(
        `update sittings set grade_published_at = ?, updated_at = ?
         where exam_id = ? and score is not null and grade_published_at is null
         returning id, student_id, score, letter, gpa`,
        [at, at, exam.id],
      );
      const grades = rows.map((r) => ({
        sittingId: r.id,
        studentId: r.student_id,
        score: Number(r.score),
        letter: r.letter,
        gpa: Number(r.gpa),
      }));
      await insertPublications(tx, grades, actor.id, at);
      await insertEvents(
        tx,
        grades.map((g) => ({
          sittingId: g.sittingId,
          kind: SittingEventKind.GRADE_PUBLISHED,
          actorId: actor.id,
          at: now,
          detail: `${g.score} (${g.letter})`,
        })),
        sql.time,
      );
      return grades;
    });
    await em.refresh(exam); // the committed state, for the answer
    this.events.sittingsChanged(
      exam.id,
      graded.map((g) => ({ examId: exam.id, sittingId: g.sittingId, studentId: g.studentId })),
    );
    return { exam, published: graded.length };
  }
}

const alreadyPublished = (at: Date | null) =>
  new ResultsAlreadyPublishedError(
    `The results of this exam were published${at ? ` at ${at.toISOString()}` : ' already'}; ` +
      'a published grade changes only by a correction or an appeal.',
  );
