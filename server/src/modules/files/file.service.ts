import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import type { EntityManager, FilterQuery } from '@mikro-orm/core';
import type { Config } from '../../config';
import { AnswerSubmittedError, type AppError } from '../../common/errors';
import { logger } from '../../common/logger';
import type { ExamEvents } from '../../common/events';
import { insertEvent, SittingEventKind } from '../audit/audit.service';
import { plainSql, type PlainStatements } from '../../common/plain-sql';
import { Answer, AnswerStatus } from '../answers/answer.entity';
import type { AuthSession } from '../auth/auth-session.entity';
import type { AnswerService } from '../answers/answer.service';
import type { Exam } from '../exams/exam.entity';
import { Sitting } from '../sittings/sitting.entity';
import type { Ticket } from '../tickets/ticket.entity';
import { Role, User } from '../users/user.entity';
import { FileRef } from './file-ref.type';
import {
  type ByteBudget,
  FileStore,
  UPLOAD_PARSER_BYTES,
  FileTooLargeError,
  OverBudgetError,
  sanitizeContentType,
  sanitizeFileName,
} from './file-store';
import { StoredFile } from './stored-file.entity';
import { withFastBoundarySearch } from './boundary-search';
import { Appeal } from '../appeals/appeal.entity';
import { AppealService } from '../appeals/appeal.service';
import { canDownload, type FileFacts } from '../../policy/file.policy';

/** A refusal of the plain HTTP file endpoints, answered as JSON with a 4xx status. */
export class UploadRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
  static from(error: AppError): UploadRefusal {
    return new UploadRefusal(error.httpStatus, error.code, error.message);
  }
}

type Owner = { answer: Answer } | { ticket: Ticket } | { taskExam: Exam } | { appeal: Appeal };

interface Incoming {
  id: string;
  name: string;
  contentType: string;
  size: number;
}

/** What one upload may bring: how many files, and (for an answer) how many bytes in all. */
interface ReceiveLimits {
  maxFiles: number;
  budget?: ByteBudget;
  overBudget?: () => UploadRefusal;
}

/** What an answer holds already. */
interface Held {
  files: number;
  bytes: number;
}

const readable = (bytes: number) =>
  bytes >= 1048576 ? `${Math.round((bytes / 1048576) * 10) / 10} MB` : `${Math.round((bytes / 1024) * 10) / 10} KB`;

export class FileService {
  constructor(
    private readonly config: Config,
    readonly store: FileStore,
    private readonly secret: Buffer,
    private readonly events: ExamEvents,
    private readonly answers: AnswerService,
  ) {}

  /**
   * FileRef with a download address signed for the viewer's session, so a plain link works in a
   * browser: for FILE_URL_TTL_MINUTES, and only while that session lasts (logout ends it).
   */
  toRef(
    file: Pick<StoredFile, 'id' | 'name' | 'size' | 'contentType'>,
    session: Pick<AuthSession, 'id'> | null | undefined,
  ): FileRef {
    const ref = Object.assign(new FileRef(), {
      id: file.id,
      name: file.name,
      size: file.size,
      contentType: file.contentType,
    });
    ref.url = `/files/${file.id}`;
    if (session) {
      const expires = Date.now() + this.config.fileUrlTtlMs;
      ref.url += `?access=${session.id}.${expires}.${this.sign(file.id, session.id, expires)}`;
    }
    return ref;
  }

  private sign(fileId: string, sessionId: string, expires: number): string {
    return createHmac('sha256', this.secret)
      .update(`file:${fileId}:session:${sessionId}:${expires}`)
      .digest('base64url');
  }

  /** The session id a signed address was made for, or null when it is forged or expired (the session itself is checked by the caller). */
  sessionIdFromSignature(fileId: string, access: unknown): string | null {
    if (typeof access !== 'string' || access.length > 200) return null;
    const [sessionId, expiresRaw, signature] = access.split('.');
    const expires = Number(expiresRaw);
    if (!sessionId || !signature || !Number.isFinite(expires) || expires < Date.now()) return null;
    const expected = Buffer.from(this.sign(fileId, sessionId, expires));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given) ? sessionId : null;
  }

  /** Whether `user` may download `file` (the rule: policy/file.policy.ts); reads what the rule needs. */
  async canDownload(em: EntityManager, user: User, file: StoredFile, now: Date): Promise<boolean> {
    return canDownload(user, await this.downloadFacts(em, user, file), now);
  }

  private async downloadFacts(em: EntityManager, user: User, file: StoredFile): Promise<FileFacts> {
    await em.populate(file, [
      'answer.sitting.exam',
      'ticket.exam',
      'taskExam',
      'appeal.sitting.exam',
      'appeal.commission',
    ]);
    if (file.appeal) return { owner: 'appeal', appeal: AppealService.facts(file.appeal) };
    // a teacher on an appeal's commission sees the case: the answer, the ticket or task it answered
    const reviewing = (sitting: FilterQuery<Sitting>) =>
      user.role === Role.TEACHER ? em.count(Appeal, { commission: user.id, sitting }).then((n) => n > 0) : false;
    if (file.answer) {
      const { sitting, status } = file.answer;
      return {
        owner: 'answer',
        exam: sitting.exam,
        answer: { authorId: sitting.student.id, status },
        reviewer: await reviewing({ id: sitting.id }),
      };
    }
    const exam = file.ticket?.exam ?? file.taskExam;
    if (!exam) return { owner: 'none' };
    const reviewer = await reviewing(file.ticket ? { ticket: file.ticket.id } : { exam: exam.id });
    // only a student has a sitting of their own
    const sitting = user.role === Role.STUDENT ? await em.findOne(Sitting, { exam: exam.id, student: user.id }) : null;
    const viewerSitting = sitting && {
      ticketId: sitting.ticket?.id ?? null,
      questionsReleasedAt: sitting.questionsReleasedAt ?? null,
    };
    return file.ticket
      ? { owner: 'ticket', exam, ticketId: file.ticket.id, viewerSitting, reviewer }
      : { owner: 'task', exam, viewerSitting, reviewer };
  }

  /**
   * Multipart upload to a student's draft answer (R7.2): open exam, draft, at most maxFilesPerAnswer files and maxAnswerBytes in all.
   * The database work is plain SQL (common/plain-sql.ts): what the answer holds, then one short transaction.
   */
  async uploadToAnswer(
    em: EntityManager,
    req: IncomingMessage,
    exam: Exam,
    sitting: Sitting,
    now: Date,
    session?: Pick<AuthSession, 'id'> | null,
  ): Promise<FileRef[]> {
    this.answers.assertWritable(exam, sitting, now);
    const answer = await this.answers.ensureAnswer(em, sitting);
    if (answer.status === AnswerStatus.SUBMITTED) throw this.answers.locked(answer);
    const sql = plainSql(em);
    const held = await this.heldBy(sql, answer.id);
    this.assertRoom(held, [{ size: 1 }]); // the least an upload can add: one file of one byte (empty ones are refused)
    const incoming = await this.receive(req, {
      maxFiles: this.config.maxFilesPerAnswer - held.files,
      budget: { left: this.config.maxAnswerBytes - held.bytes },
      overBudget: () => this.answerTooLarge(held.bytes),
    });
    const createdAt = Date.now(); // a millisecond apart, so listings ordered by createdAt keep the order the files were sent in
    await this.persist(incoming, () =>
      sql.transaction(async (tx) => {
        // checked again after the stream, with the answer's row locked: it may have been sent, or other uploads may have
        // filled it, meanwhile; parallel uploads to one answer wait here for one another, so the count is exact
        this.answers.assertWritable(exam, sitting, new Date());
        if (!(await this.answers.lockDraft(tx, sql.time(new Date()), answer.id))) {
          throw new AnswerSubmittedError('Your answer was sent while the file was uploading; it is locked now.');
        }
        this.assertRoom(await this.heldBy(tx, answer.id), incoming);
        for (const [i, f] of incoming.entries()) {
          const at = sql.time(new Date(createdAt + i));
          await tx.run(
            `insert into stored_files (id, created_at, updated_at, name, size, content_type, uploaded_by_id, answer_id)
          values (?, ?, ?, ?, ?, ?, ?, ?)`,
            [f.id, at, at, f.name, f.size, f.contentType, sitting.student.id, answer.id],
          );
        }
        for (const f of incoming)
          await insertEvent(tx, sitting.id, SittingEventKind.FILE_UPLOADED, sitting.student.id, sql.time(now), f.name);
      }),
    );
    this.events.sittingChanged({ examId: exam.id, sittingId: sitting.id, studentId: sitting.student.id });
    return incoming.map((f) => this.toRef(f, session));
  }

  /** The files an answer holds and their bytes, in one aggregate. */
  private async heldBy(sql: PlainStatements, answerId: string): Promise<Held> {
    const [row] = await sql.rows<{ files: number | string; bytes: number | string }>(
      'select count(*) as files, coalesce(sum(size), 0) as bytes from stored_files where answer_id = ?',
      [answerId],
    );
    return { files: Number(row.files), bytes: Number(row.bytes) };
  }

  /** R7.2 bounds: at most maxFilesPerAnswer files and maxAnswerBytes in all, counting what is arriving. */
  private assertRoom(held: Held, arriving: Pick<Incoming, 'size'>[] = []): void {
    if (held.files + arriving.length > this.config.maxFilesPerAnswer) {
      throw new UploadRefusal(
        400,
        'TOO_MANY_FILES',
        `An answer holds at most ${this.config.maxFilesPerAnswer} files; delete one before adding another.`,
      );
    }
    if (held.bytes + arriving.reduce((sum, f) => sum + f.size, 0) > this.config.maxAnswerBytes)
      throw this.answerTooLarge(held.bytes);
  }

  private answerTooLarge(heldBytes: number): UploadRefusal {
    return new UploadRefusal(
      413,
      'ANSWER_TOO_LARGE',
      `The files of one answer may take ${readable(this.config.maxAnswerBytes)} in all, and ` +
        `${readable(heldBytes)} are stored already; delete a file or upload a smaller one.`,
    );
  }

  /**
   * The student attaches files to their appeal (`assertOpen`: the appeal's rule, checked before the stream and again
   * in the transaction): at most MAX_FILES_PER_APPEAL files, MAX_FILE_MB each, MAX_ANSWER_MB in all.
   */
  async uploadToAppeal(
    em: EntityManager,
    req: IncomingMessage,
    appeal: Appeal,
    student: User,
    assertOpen: () => Promise<void>,
    session?: Pick<AuthSession, 'id'> | null,
  ): Promise<FileRef[]> {
    await assertOpen();
    const sql = plainSql(em);
    const held = await this.heldByAppeal(sql, appeal.id);
    const max = this.config.maxFilesPerAppeal;
    const full = () =>
      new UploadRefusal(400, 'TOO_MANY_FILES', `An appeal holds at most ${max} files; it has ${held.files} already.`);
    if (held.files >= max) throw full();
    const incoming = await this.receive(req, {
      maxFiles: max - held.files,
      budget: { left: this.config.maxAnswerBytes - held.bytes },
      overBudget: () => this.answerTooLarge(held.bytes),
    });
    const files = await this.persist(incoming, async () => {
      await assertOpen();
      return em.transactional(async (tx) => {
        // again inside the transaction: parallel uploads to one appeal may have filled it meanwhile
        const stored = await tx.find(StoredFile, { appeal: appeal.id }, { fields: ['size'] });
        const bytes = stored.reduce((sum, f) => sum + f.size, 0);
        if (stored.length + incoming.length > max) throw full();
        if (bytes + incoming.reduce((sum, f) => sum + f.size, 0) > this.config.maxAnswerBytes)
          throw this.answerTooLarge(bytes);
        return this.storedFiles(tx, incoming, { appeal: tx.getReference(Appeal, appeal.id) }, student);
      });
    });
    return files.map((f) => this.toRef(f, session));
  }

  private async heldByAppeal(sql: PlainStatements, appealId: string): Promise<Held> {
    const [row] = await sql.rows<{ files: number | string; bytes: number | string }>(
      'select count(*) as files, coalesce(sum(size), 0) as bytes from stored_files where appeal_id = ?',
      [appealId],
    );
    return { files: Number(row.files), bytes: Number(row.bytes) };
  }

  /** Staff attach files to a ticket or to an exam's task. */
  async uploadToOwner(
    em: EntityManager,
    req: IncomingMessage,
    owner: Owner,
    actor: User,
    session?: Pick<AuthSession, 'id'> | null,
  ): Promise<FileRef[]> {
    const incoming = await this.receive(req, { maxFiles: 20 });
    const files = await this.persist(incoming, () =>
      em.transactional(async (tx) => this.storedFiles(tx, incoming, owner, actor)),
    );
    return files.map((f) => this.toRef(f, session));
  }

  async removeOwned(em: EntityManager, file: StoredFile): Promise<void> {
    em.remove(file);
    await em.flush();
    await this.store.remove(file.id);
  }

  private storedFiles(em: EntityManager, incoming: Incoming[], owner: Owner, uploadedBy: User): StoredFile[] {
    const at = Date.now(); // a millisecond apart, so listings ordered by createdAt keep the order the files were sent in
    return incoming.map((f, i) =>
      em.create(StoredFile, {
        id: f.id,
        name: f.name,
        size: f.size,
        contentType: f.contentType,
        uploadedBy: em.getReference(User, uploadedBy.id),
        ...owner,
        createdAt: new Date(at + i),
      }),
    );
  }

  /**
   * Moves the received files to their place, then runs `record` (one short transaction that checks what it must and
   * creates the rows); if anything fails, no row stays and every file is removed, received or moved.
   */
  private async persist<T>(incoming: Incoming[], record: () => Promise<T>): Promise<T> {
    const moved = new Set<string>();
    try {
      for (const f of incoming) {
        await this.store.commit(f.id);
        moved.add(f.id);
      }
      return await record();
    } catch (error) {
      await Promise.all(incoming.map((f) => (moved.has(f.id) ? this.store.remove(f.id) : this.store.discard(f.id))));
      throw error;
    }
  }

  /**
   * Streams every file part of a multipart request to disk; all or nothing. Whatever ends the request early — the
   * client aborting, the connection cut, a refusal — every partial file is removed and every descriptor closed
   * before the promise settles.
   */
  private receive(req: IncomingMessage, limits: ReceiveLimits): Promise<Incoming[]> {
    const contentType = req.headers['content-type'] ?? '';
    if (!/^multipart\/form-data/i.test(contentType)) {
      return Promise.reject(
        new UploadRefusal(
          415,
          'BAD_USER_INPUT',
          'Send the files as multipart/form-data, one or more parts named "file".',
        ),
      );
    }
    const interrupted = () =>
      new UploadRefusal(
        400,
        'UPLOAD_FAILED',
        'The upload was interrupted before it finished; please upload the file again.',
      );
    if (req.destroyed) return Promise.reject(interrupted()); // cut while the request was being checked
    const { maxFiles } = limits;
    return new Promise((resolve, reject) => {
      const received: Incoming[] = [];
      const writes: Promise<unknown>[] = [];
      let refusal: UploadRefusal | null = null;
      let cut = false;
      const refuse = (r: UploadRefusal) => (refusal ??= r);
      let parser: busboy.Busboy;
      try {
        parser = withFastBoundarySearch(
          busboy({
            headers: req.headers,
            defParamCharset: 'utf8',
            highWaterMark: UPLOAD_PARSER_BYTES,
            fileHwm: UPLOAD_PARSER_BYTES,
            limits: { files: maxFiles, fileSize: this.config.maxFileBytes + 1, fields: 10, parts: maxFiles + 10 },
          }),
        );
      } catch {
        reject(new UploadRefusal(400, 'BAD_USER_INPUT', 'The upload is not a well-formed multipart request.'));
        return;
      }
      parser.on('file', (_field, stream, info) => {
        const entry: Incoming = {
          id: randomUUID(),
          name: sanitizeFileName(info.filename),
          contentType: sanitizeContentType(info.mimeType),
          size: 0,
        };
        if (refusal) {
          stream.on('error', () => undefined); // a part cut while drained: the request's own refusal says it
          stream.resume();
          return;
        }
        received.push(entry); // in the order the parts were sent, not the order their writes finish (a failed write refuses the whole upload)
        writes.push(
          this.store.write(entry.id, stream, this.config.maxFileBytes, limits.budget).then(
            (size) => {
              entry.size = size;
              if (size === 0)
                refuse(
                  new UploadRefusal(
                    400,
                    'EMPTY_FILE',
                    `"${entry.name}" is empty (0 bytes); choose the file again, or save it on your device first.`,
                  ),
                );
            },
            (error) => {
              if (error instanceof FileTooLargeError) {
                refuse(
                  new UploadRefusal(
                    413,
                    'FILE_TOO_LARGE',
                    `"${entry.name}" is larger than ${Math.round(this.config.maxFileBytes / 1048576)} MB; upload a smaller file.`,
                  ),
                );
              } else if (error instanceof OverBudgetError && limits.overBudget) {
                refuse(limits.overBudget());
              } else {
                if (!cut) logger.warn({ err: error }, 'an uploaded file could not be written');
                refuse(
                  new UploadRefusal(
                    400,
                    'UPLOAD_FAILED',
                    `"${entry.name}" could not be received; please upload it again.`,
                  ),
                );
              }
            },
          ),
        );
      });
      parser.on('filesLimit', () =>
        refuse(
          new UploadRefusal(
            400,
            'TOO_MANY_FILES',
            `At most ${maxFiles} more file(s) fit in here; upload fewer at once.`,
          ),
        ),
      );
      let finished = false;
      const finish = async () => {
        if (finished) return;
        finished = true;
        await Promise.allSettled(writes);
        if (!refusal && received.length === 0)
          refuse(new UploadRefusal(400, 'BAD_USER_INPUT', 'No file was attached; choose at least one file.'));
        if (refusal) {
          await Promise.all(received.map((f) => this.store.discard(f.id)));
          reject(refusal);
        } else resolve(received);
      };
      parser.on('error', () => {
        refuse(new UploadRefusal(400, 'BAD_USER_INPUT', 'The upload was cut off or malformed; please try again.'));
        void finish();
      });
      parser.on('close', () => void finish());
      // the request ended before the form did (the client aborted, or the connection was cut): the parser is destroyed,
      // which destroys the part being written, so its write closes its descriptor and removes its partial file
      const onCut = () => {
        if (cut || req.readableEnded) return;
        cut = true;
        refuse(interrupted());
        req.unpipe(parser);
        parser.destroy(new Error('the request was cut'));
      };
      req.on('error', onCut);
      req.on('close', onCut);
      req.pipe(parser);
    });
  }
}
