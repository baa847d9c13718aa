import { plainRead } from '../../common/loaded';
import { instantOrNull } from '../../common/plain-sql';
import type { Sitting } from '../sittings/sitting.entity';
import { Answer, type AnswerSendMode, type AnswerStatus } from './answer.entity';

/** an answer's columns as `answerFromRow` reads them, each `<qualifier>column` (`a.`, or '' in a RETURNING clause) */
export const answerColumns = (qualifier: string): string =>
  `${qualifier}id as answer_id, ${qualifier}text as answer_text, ${qualifier}status as answer_status,
  ${qualifier}saved_at as answer_saved_at, ${qualifier}submitted_at as answer_submitted_at,
  ${qualifier}send_mode as answer_send_mode, ${qualifier}version as answer_version`;

/** an answer's columns as `answerFromRow` reads them (`a` is the answer) */
export const ANSWER_COLUMNS = answerColumns('a.');

/** an `answers` row read with ANSWER_COLUMNS as a plain answer (common/loaded.ts) of `sitting` */
export function answerFromRow(sitting: Sitting, row: Record<string, unknown>): Answer {
  return plainRead(Answer, {
    id: String(row.answer_id),
    sitting,
    text: String(row.answer_text),
    status: row.answer_status as AnswerStatus,
    savedAt: instantOrNull(row.answer_saved_at),
    submittedAt: instantOrNull(row.answer_submitted_at),
    sendMode: (row.answer_send_mode ?? null) as AnswerSendMode | null,
    version: Number(row.answer_version),
  });
}
