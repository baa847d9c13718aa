import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import type { Config } from '../../config';
import {
  AnswerConflictError,
  AnswerSubmittedError,
  AnswerTooShortError,
  BadUserInputError,
  ForbiddenError,
  NotFoundError,
} from '../../common/errors';
import type { ExamEvents } from '../../common/events';
import { insertEvent, recordEvent, SittingEventKind } from '../audit/audit.service';
import { plainSql, type PlainStatements } from '../../common/plain-sql';
import type { Exam } from '../exams/exam.entity';
import { answersOpen, assertOpen, isSubstantialAnswer, MIN_ANSWER_CHARS, withinSendGrace } from '../exams/exam-rules';
import { StoredFile } from '../files/stored-file.entity';
import type { FileStore } from '../files/file-store';
import { Sitting } from '../sittings/sitting.entity';
import { Answer, AnswerSendMode, AnswerStatus } from './answer.entity';
import { ANSWER_COLUMNS, answerColumns, answerFromRow } from './answer-row';
import { isLoaded, isPlainRead } from '../../common/loaded';

/** what an INSERT … RETURNING gives back of a new answer (no table alias there) */
const INSERTED_ANSWER = answerColumns('');

export class AnswerService {
  constructor(
    private readonly config: Config,
    private readonly events: ExamEvents,
    private readonly store: FileStore,
  ) {}

  /**
   * R7.1, R7.5: the answer may change only while the exam is open for this student and the answers block is shown;
   * a Send (`sending`) is also taken within SEND_GRACE_MS after the end (pressed before it, arrived late). Says how.
   */
  assertWritable(exam: Exam, sitting: Sitting, now: Date, sending = false): AnswerSendMode {
    const late = sending && withinSendGrace(exam, sitting, now, this.config.sendGraceMs);
    if (!late) assertOpen(exam, sitting, now, sending ? this.config.sendGraceMs : 0);
    if (!answersOpen(exam, sitting, now)) {
      throw new ForbiddenError(
        "Open your ticket's questions first («Билет бойынша сұрақтарды көрсету»); the answer opens after you have seen them.",
      );
    }
    return late ? AnswerSendMode.LATE_WITHIN_GRACE : AnswerSendMode.STUDENT;
  }

  /**
   * The sitting's answer row: as loaded with the sitting (studentSitting(…, true), studentAnswerSitting), else read,
   * else created; a parallel first write cannot make two. A plain sitting (studentAnswerSitting) gets a plain answer,
   * created and read with plain SQL; a managed one a managed answer.
   */
  async ensureAnswer(em: EntityManager, sitting: Sitting): Promise<Answer> {
    if (sitting.answer && isLoaded(sitting.answer)) return sitting.answer;
    if (isPlainRead(sitting)) return (sitting.answer = await this.createAnswer(em, sitting));
    const existing = await em.findOne(Answer, { sitting: sitting.id });
    if (existing) return existing;
    const now = new Date();
    await (em as SqlEntityManager)
      .createQueryBuilder(Answer)
      .insert({
        id: randomUUID(),
        sitting: sitting.id,
        text: '',
        status: AnswerStatus.DRAFT,
        createdAt: now,
        updatedAt: now,
      })
      .onConflict('sitting')
      .ignore()
      .execute();
    return em.findOneOrFail(Answer, { sitting: sitting.id });
  }

  /** a plain sitting's first answer: inserted and returned, or (a parallel write made it first) read */
  private async createAnswer(em: EntityManager, sitting: Sitting): Promise<Answer> {
    const sql = plainSql(em);
    const at = sql.time(new Date());
    let [row] = await sql.rows<Record<string, unknown>>(
      `insert into answers (id, created_at, updated_at, sitting_id, text, status, version) values (?, ?, ?, ?, ?, ?, 0)
      on conflict (sitting_id) do nothing returning ${INSERTED_ANSWER}`,
      [randomUUID(), at, at, sitting.id, '', AnswerStatus.DRAFT],
    );
    row ??= (
      await sql.rows<Record<string, unknown>>(`select ${ANSWER_COLUMNS} from answers a where a.sitting_id = ?`, [
        sitting.id,
      ])
    )[0];
    return answerFromRow(sitting, row);
  }

  /**
   * Locks a draft answer's row for the rest of the transaction `tx` (a touch of updatedAt, only while it is a draft),
   * so writes that count what the answer holds see one another; false when the answer was sent meanwhile.
   */
  async lockDraft(tx: PlainStatements, at: unknown, answerId: string): Promise<boolean> {
    return (
      (await tx.run('update answers set updated_at = ? where id = ? and status = ?', [
        at,
        answerId,
        AnswerStatus.DRAFT,
      ])) > 0
    );
  }

  /**
   * R7.4 Save, R7.5 + R7.6 Send: both refuse a locked answer; sending locks it in the same conditional update.
   * With `baseVersion` (the version the page last saw) the same update also requires the answer to be at that
   * version, so of two writes over one version exactly one lands; without it the last write wins.
   */
  async write(
    em: EntityManager,
    exam: Exam,
    sitting: Sitting,
    text: string,
    submit: boolean,
    now: Date,
    baseVersion: number | null = null,
  ): Promise<Answer> {
    const sendMode = this.assertWritable(exam, sitting, now, submit);
    if (text.length > this.config.maxAnswerChars) {
      throw new BadUserInputError(
        `The answer is longer than ${this.config.maxAnswerChars} characters; attach the rest as a file.`,
      );
    }
    const answer = await this.ensureAnswer(em, sitting);
    if (answer.status === AnswerStatus.SUBMITTED) throw this.locked(answer);
    // an empty (0-byte) file is no answer: such files are refused on upload, but older drafts may hold them
    const sql = plainSql(em);
    const [{ files }] = await sql.rows<{ files: number | string }>(
      'select count(*) as files from stored_files where answer_id = ? and size > 0',
      [answer.id],
    );
    if (!isSubstantialAnswer(text, Number(files))) {
      throw new AnswerTooShortError(
        `Write at least ${MIN_ANSWER_CHARS} characters or upload a file that is not empty before ${submit ? 'sending' : 'saving'}.`,
      );
    }
    const changes = submit
      ? { text, savedAt: now, submittedAt: now, status: AnswerStatus.SUBMITTED, sendMode, updatedAt: now }
      : { text, savedAt: now, updatedAt: now };
    // the change and its trail entry in one short transaction; the condition keeps a sent answer as it was sent
    // (and, given a base version, an answer changed elsewhere as it was changed)
    const at = sql.time(now);
    const [set, params] = submit
      ? [
          'text = ?, saved_at = ?, submitted_at = ?, status = ?, send_mode = ?',
          [text, at, at, AnswerStatus.SUBMITTED, sendMode],
        ]
      : ['text = ?, saved_at = ?', [text, at]];
    const onVersion = baseVersion === null ? '' : ' and version = ?';
    const version = await sql.transaction(async (tx) => {
      const [row] = await tx.rows<{ version: number | string }>(
        `update answers set ${set}, updated_at = ?, version = version + 1 where id = ? and status = ?${onVersion} returning version`,
        [...params, at, answer.id, AnswerStatus.DRAFT, ...(baseVersion === null ? [] : [baseVersion])],
      );
      if (row) {
        await insertEvent(
          tx,
          sitting.id,
          !submit
            ? SittingEventKind.ANSWER_SAVED
            : sendMode === AnswerSendMode.LATE_WITHIN_GRACE
              ? SittingEventKind.ANSWER_SENT_IN_GRACE
              : SittingEventKind.ANSWER_SUBMITTED,
          sitting.student.id,
          at,
          `${[...text].length} characters, ${files} file(s)`,
        );
      }
      return row ? Number(row.version) : null;
    });
    if (version === null) {
      // sent meanwhile, or (given a base version) saved elsewhere meanwhile
      const current = isPlainRead(answer) ? await this.reread(sql, answer) : ((await em.refresh(answer)) ?? answer);
      if (current.status === AnswerStatus.SUBMITTED) throw this.locked(answer);
      throw this.conflict(answer);
    }
    // the row now holds exactly `changes`: the loaded answer takes them as its state, without reading it back
    if (isPlainRead(answer)) Object.assign(answer, changes, { version });
    else em.merge(Answer, { id: answer.id, ...changes, version }, { refresh: true });
    this.events.sittingChanged({ examId: exam.id, sittingId: sitting.id, studentId: sitting.student.id });
    return answer;
  }

  /** a plain answer takes its row's state as it is now (what a refusal names: its version, its sending time) */
  private async reread(sql: PlainStatements, answer: Answer): Promise<Answer> {
    const [row] = await sql.rows<Record<string, unknown>>(`select ${ANSWER_COLUMNS} from answers a where a.id = ?`, [
      answer.id,
    ]);
    if (row) {
      const { status, savedAt, submittedAt, sendMode, text, version } = answerFromRow(answer.sitting, row);
      Object.assign(answer, { status, savedAt, submittedAt, sendMode, text, version });
    }
    return answer;
  }

  /** R7.3: a file leaves a draft answer only. */
  async deleteFile(em: EntityManager, exam: Exam, sitting: Sitting, fileId: string, now: Date): Promise<Answer> {
    this.assertWritable(exam, sitting, now);
    const answer = await this.ensureAnswer(em, sitting);
    if (answer.status === AnswerStatus.SUBMITTED) throw this.locked(answer);
    const file = await em.findOne(StoredFile, { id: fileId, answer: answer.id });
    if (!file) throw new NotFoundError('That file is not part of your answer (it may have been deleted already).');
    const name = file.name;
    em.remove(file);
    recordEvent(em, sitting, SittingEventKind.FILE_DELETED, sitting.student, now, name);
    await em.flush();
    await this.store.remove(fileId);
    this.events.sittingChanged({ examId: exam.id, sittingId: sitting.id, studentId: sitting.student.id });
    return answer;
  }

  conflict(answer: Answer): AnswerConflictError {
    return new AnswerConflictError(
      `Your answer was changed on another device or tab (it is now at version ${answer.version}); ` +
        'read it again, choose which text to keep, and save that over the new version.',
      answer.version,
    );
  }

  locked(answer: Answer): AnswerSubmittedError {
    return new AnswerSubmittedError(
      `Your answer was sent at ${answer.submittedAt?.toISOString()} and is locked; it can no longer be changed.`,
    );
  }
}
