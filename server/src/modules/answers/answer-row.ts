import { plainRead } from '../../common/loaded';
import { instantOrNull } from '../../common/plain-sql';
import type { Sitting } from '../sittings/sitting.entity';
import { Answer, type AnswerSendMode, type AnswerStatus } from './answer.entity';

/** an answer's columns as `answerFromRow` reads them (`a` is the answer) */
export const ANSWER_COLUMNS = `a.id as answer_id, a.text as answer_text, a.status as answer_status,
  a.saved_at as answer_saved_at, a.submitted_at as answer_submitted_at, a.send_mode as answer_send_mode,
  a.version as answer_version`;

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
