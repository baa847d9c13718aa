/**
 * How a blind exam's sittings look to the one who must not know whose they are (policy/blind.policy.ts): every path
 * that could name the student — the sitting's student, its trail's actors and file names, a ticket's holder, an
 * answer's files and their downloads — asks here. The codes of an exam are read once per operation (or pushed event).
 */
import type { EntityManager } from '@mikro-orm/core';
import { NotFoundError } from '../../common/errors';
import { plainRead, related } from '../../common/loaded';
import { instantOrNull, plainRows } from '../../common/plain-sql';
import type { Context } from '../../context';
import { hidesStudents } from '../../policy/blind.policy';
import type { Viewer } from '../../policy/exam.policy';
import type { Answer } from '../answers/answer.entity';
import { SittingEventKind, type SittingEvent } from '../audit/sitting-event.entity';
import { loadersOf } from '../../loaders';
import type { Exam } from '../exams/exam.entity';
import type { FileRef } from '../files/file-ref.type';
import type { Sitting } from '../sittings/sitting.entity';
import type { Ticket } from '../tickets/ticket.entity';
import { examOf } from '../sittings/sitting-relations';
import { Role, User } from '../users/user.entity';
import type { BlindCodes } from './blind-codes';

/** An exam's codes, and which sitting holds each ticket (a ticket's holder is a sitting's student). */
export interface ExamCodes {
  bySitting: Map<string, string>;
  sittingOfTicket: Map<string, string>;
}

/** per EntityManager (an operation, or a pushed event shared by its subscribers), per exam */
const read = new WeakMap<EntityManager, Map<string, Promise<ExamCodes>>>();

async function readCodes(em: EntityManager, codes: BlindCodes, examId: string): Promise<ExamCodes> {
  const rows = await plainRows<{ id: string; ticket_id: string | null; created_at: unknown }>(
    em,
    'select id, ticket_id, created_at from sittings where exam_id = ?',
    [examId],
  );
  return {
    bySitting: codes.codesOfExam(rows.map((r) => ({ id: String(r.id), createdAt: instantOrNull(r.created_at)! }))),
    sittingOfTicket: new Map(rows.filter((r) => r.ticket_id != null).map((r) => [String(r.ticket_id), String(r.id)])),
  };
}

/** The codes of an exam's sittings; `fresh` reads them again (a sitting made since the last read). */
export function examCodes(em: EntityManager, codes: BlindCodes, examId: string, fresh = false): Promise<ExamCodes> {
  let ofEm = read.get(em);
  if (!ofEm) read.set(em, (ofEm = new Map()));
  let loading = fresh ? undefined : ofEm.get(examId);
  if (!loading) {
    loading = readCodes(em, codes, examId);
    ofEm.set(examId, loading);
    loading.catch(() => ofEm.delete(examId));
  }
  return loading;
}

/** One sitting's code at its exam. */
export async function codeOf(em: EntityManager, codes: BlindCodes, examId: string, sittingId: string): Promise<string> {
  let known = await examCodes(em, codes, examId);
  if (!known.bySitting.has(sittingId)) known = await examCodes(em, codes, examId, true);
  const code = known.bySitting.get(sittingId);
  if (!code) throw new NotFoundError('That sitting is no longer at this exam; re-read the exam.');
  return code;
}

/**
 * The stand-in for a hidden student: its id, login and name are the code (never the student's id), so a client that
 * shows `student.fullName` shows the code, and Apollo's cache keeps it apart from every real person.
 */
export function standIn(code: string): User {
  return plainRead(User, { id: `blind:${code}`, login: code, fullName: code, role: Role.STUDENT });
}

/** The student of a sitting as the caller may see them: the student, or the stand-in named by the sitting's code. */
export async function studentAsSeen(ctx: Context, sitting: Sitting): Promise<User> {
  const exam = await examOf(ctx.em, sitting);
  if (!hidesStudents(ctx.user, exam)) return related(ctx.em, sitting, 'student');
  return standIn(await codeOf(ctx.em, ctx.services.blindCodes, exam.id, sitting.id));
}

/** A neutral file name: the code and the file's place in the answer, with the original extension only when it is a plain one. */
export function neutralFileName(code: string, index: number, originalName: string): string {
  const extension = /\.([A-Za-z0-9]{1,8})$/.exec(originalName)?.[1]?.toLowerCase();
  return `${code}-${index + 1}${extension ? `.${extension}` : ''}`;
}

/** An answer's file references as the caller may see them: under neutral names while the answer's student is hidden. */
export async function answerFilesAsSeen(ctx: Context, answer: Answer, refs: FileRef[]): Promise<FileRef[]> {
  if (ctx.user?.role !== Role.TEACHER || !refs.length) return refs;
  const sitting = await related(ctx.em, answer, 'sitting');
  const exam = await examOf(ctx.em, sitting);
  if (!hidesStudents(ctx.user, exam)) return refs;
  const code = await codeOf(ctx.em, ctx.services.blindCodes, exam.id, sitting.id);
  // refs come in the answer's file order (created_at, id): the same order the download's name counts in
  return refs.map((ref, index) => Object.assign(ref, { name: neutralFileName(code, index, ref.name) }));
}

/**
 * The name a download is saved under: the stored one, or a neutral one when the file is an answer's whose student is
 * hidden from `viewer`. `file.answer.sitting.exam` is loaded (the download rule read it).
 */
export async function downloadName(
  em: EntityManager,
  codes: BlindCodes,
  viewer: Viewer,
  file: { id: string; name: string; answer?: Answer | null },
): Promise<string> {
  if (!file.answer) return file.name;
  const sitting = file.answer.sitting;
  const exam: Exam = sitting.exam;
  if (!hidesStudents(viewer, exam)) return file.name;
  const order = await plainRows<{ id: string }>(
    em,
    'select id from stored_files where answer_id = ? order by created_at, id',
    [file.answer.id],
  );
  const index = order.findIndex((row) => String(row.id) === file.id);
  return neutralFileName(await codeOf(em, codes, exam.id, sitting.id), Math.max(index, 0), file.name);
}

/**
 * A sitting's trail (as staff read it) as the caller may see it: while the student is hidden, the student's own
 * entries name the stand-in, and a sent file's name is its neutral one (a draft's stays «private draft»).
 */
export async function trailAsSeen(
  ctx: Context,
  sitting: Sitting,
  answer: Answer | null,
  events: SittingEvent[],
): Promise<SittingEvent[]> {
  if (ctx.user?.role !== Role.TEACHER) return events;
  const exam = await examOf(ctx.em, sitting);
  if (!hidesStudents(ctx.user, exam)) return events;
  const code = await codeOf(ctx.em, ctx.services.blindCodes, exam.id, sitting.id);
  const names = new Map<string, string>();
  if (answer && events.some((e) => e.kind === SittingEventKind.FILE_UPLOADED)) {
    const files = await loadersOf(ctx).files('answer').load(answer.id);
    files.forEach((file, index) => {
      if (!names.has(file.name)) names.set(file.name, neutralFileName(code, index, file.name));
    });
  }
  const stand = standIn(code);
  const studentId = sitting.student.id;
  // the trail's entries are copies already (trailForStaff), never the managed rows
  for (const event of events) {
    if (event.actor?.id === studentId) event.actor = stand;
    if (event.kind === SittingEventKind.FILE_UPLOADED && event.detail && names.has(event.detail))
      event.detail = names.get(event.detail)!;
  }
  return events;
}

/** A blind exam's sittings in the order of their codes: the students' name order would give them away. */
export async function inCodeOrder(
  ctx: Context,
  exam: Pick<Exam, 'id'>,
  sittings: readonly Sitting[],
): Promise<Sitting[]> {
  const known = await examCodes(ctx.em, ctx.services.blindCodes, exam.id, sittings.length > 0);
  const code = (s: Sitting) => known.bySitting.get(s.id) ?? '';
  return [...sittings].sort((a, b) => (code(a) < code(b) ? -1 : code(a) > code(b) ? 1 : 0));
}

/**
 * A ticket's holder while they are hidden from the caller: the stand-in of the sitting holding it (null when free);
 * undefined when the holder may be seen as they are.
 */
export async function holderAsSeen(ctx: Context, ticket: Ticket): Promise<User | null | undefined> {
  if (ctx.user?.role !== Role.TEACHER) return undefined;
  const exam = await related(ctx.em, ticket, 'exam');
  if (!hidesStudents(ctx.user, exam)) return undefined;
  let known = await examCodes(ctx.em, ctx.services.blindCodes, exam.id);
  const sittingId = known.sittingOfTicket.get(ticket.id);
  if (!sittingId) return null;
  if (!known.bySitting.has(sittingId)) known = await examCodes(ctx.em, ctx.services.blindCodes, exam.id, true);
  const code = known.bySitting.get(sittingId);
  return code ? standIn(code) : null;
}
