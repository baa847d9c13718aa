import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Context } from '../../context';
import type { RequestTurns } from '../../common/turns';
import { logger } from '../../common/logger';
import { requireRole, requireUser } from '../../common/auth';
import {
  AppError,
  ForbiddenError,
  ImportFileInvalidError,
  NotFoundError,
  ScheduleHasProblemsError,
  TooManyRequestsError,
} from '../../common/errors';
import { managedExam, studentAnswerSitting } from '../exams/exam-access';
import { ExamFormat } from '../exams/exam.entity';
import { Ticket } from '../tickets/ticket.entity';
import { Role } from '../users/user.entity';
import { StoredFile } from './stored-file.entity';
import { UploadRefusal } from './file.service';
import { scheduleUpload } from '../schedule-import/schedule-upload';
import { downloadName } from '../blind/blind-view';

type ContextFor = (req: Request) => Promise<Context>;

/** Refusals as `{ error: { code, message } }` with a 4xx status; the unexpected as a generic 500. */
function respondWithError(res: Response, req: Request, error: unknown) {
  const refusal = error instanceof UploadRefusal ? error : error instanceof AppError ? UploadRefusal.from(error) : null;
  if (!refusal) logger.error({ err: error, url: req.path }, 'file endpoint failed');
  if (!req.complete) {
    res.set('Connection', 'close'); // the rest of an unread upload is not wanted
    req.resume();
  }
  if (res.headersSent) return res.destroy();
  if (error instanceof TooManyRequestsError) res.set('Retry-After', String(error.retryAfter));
  res.status(refusal?.status ?? 500).json({
    error: refusal
      ? {
          code: refusal.code,
          message: refusal.message,
          ...(error instanceof TooManyRequestsError ? { retryAfter: error.retryAfter } : {}),
          // issue 13: a schedule's refusal says why (reason, params) or lists the rows' problems
          ...(error instanceof ImportFileInvalidError || error instanceof ScheduleHasProblemsError
            ? { ...error.extensions, code: refusal.code }
            : {}),
        }
      : {
          code: 'INTERNAL_SERVER_ERROR',
          message: 'The file could not be handled because of a server fault; please try again.',
        },
  });
}

/** a file request starts at its turn (common/turns.ts), or is refused with 429 when too many wait */
async function turnOf(turns: RequestTurns): Promise<void> {
  const turn = turns.wait();
  if (!turn)
    throw new TooManyRequestsError('The server is busy with many requests at once; please try again in a moment.', 1);
  await turn;
}

const route =
  (
    contextFor: ContextFor,
    turns: RequestTurns,
    handler: (ctx: Context, req: Request, res: Response) => Promise<void>,
  ) =>
  async (req: Request, res: Response) => {
    try {
      await turnOf(turns);
      const ctx = await contextFor(req);
      if (ctx.apiClient !== undefined) throw new ForbiddenError('API clients use GraphQL only; files are for people.');
      await handler(ctx, req, res);
    } catch (error) {
      respondWithError(res, req, error);
    }
  };

/** Contents-Disposition with the original name, ASCII fallback plus RFC 5987 UTF-8 form. */
function disposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function fileRoutes(contextFor: ContextFor, turns: RequestTurns): Router {
  const router = Router();

  // every id in a path is one of ours before it reaches the database: anything else (a NUL, a stray word) is simply not found
  for (const param of ['examId', 'ticketId', 'fileId', 'appealId']) {
    router.param(param, (req, res, next, value) => {
      if (typeof value === 'string' && UUID.test(value)) return next();
      respondWithError(res, req, new NotFoundError('There is no such file, exam or ticket; check the address.'));
    });
  }

  /** R7.2: the student's own draft answer */
  router.post(
    '/answers/:examId',
    route(contextFor, turns, async (ctx, req, res) => {
      if (ctx.user) await ctx.services.rateLimits.studentSave(ctx.user.id);
      const { exam, sitting } = await studentAnswerSitting(ctx, String(req.params.examId));
      const files = await ctx.services.files.uploadToAnswer(
        ctx.em,
        req,
        exam,
        sitting,
        ctx.services.now(),
        ctx.session,
      );
      res.status(201).json({ files });
    }),
  );

  /** issue 12: the student's own appeal (while its window is open and it is not decided) */
  router.post(
    '/appeals/:appealId',
    route(contextFor, turns, async (ctx, req, res) => {
      const student = requireRole(ctx, Role.STUDENT);
      await ctx.services.rateLimits.studentSave(student.id);
      const appeal = await ctx.services.appeals.find(ctx.em, String(req.params.appealId));
      const files = await ctx.services.files.uploadToAppeal(
        ctx.em,
        req,
        appeal,
        student,
        () => ctx.services.appeals.assertFilesOpen(ctx.em, appeal, student, ctx.services.now()),
        ctx.session,
      );
      ctx.services.appeals.filesAdded(appeal);
      res.status(201).json({ files });
    }),
  );

  /** staff: files of a ticket (R5.4) */
  router.post(
    '/tickets/:ticketId',
    route(contextFor, turns, async (ctx, req, res) => {
      const actor = requireRole(ctx, Role.STAFF);
      const ticket = await ctx.em.findOne(Ticket, { id: String(req.params.ticketId) });
      if (!ticket) throw new NotFoundError('There is no such ticket.');
      await managedExam(ctx, ticket.exam.id);
      const files = await ctx.services.files.uploadToOwner(ctx.em, req, { ticket }, actor, ctx.session);
      res.status(201).json({ files });
    }),
  );

  /** staff: files of an exam's task (R6.1) */
  router.post(
    '/exams/:examId/task',
    route(contextFor, turns, async (ctx, req, res) => {
      const actor = requireRole(ctx, Role.STAFF);
      const exam = await managedExam(ctx, String(req.params.examId));
      if (exam.format !== ExamFormat.TASK)
        throw new UploadRefusal(
          400,
          'BAD_USER_INPUT',
          'This exam is held with tickets; attach files to a ticket instead.',
        );
      const files = await ctx.services.files.uploadToOwner(ctx.em, req, { taskExam: exam }, actor, ctx.session);
      res.status(201).json({ files });
    }),
  );

  /** issue 13: staff upload a schedule (CSV or XLSX): a dry run unless ?dryRun=false */
  router.post('/schedule-import', route(contextFor, turns, scheduleUpload));

  /** download, to those allowed to see the file: Bearer token or the signed address from FileRef.url while its session lasts */
  router.get(
    '/:fileId',
    route(contextFor, turns, async (ctx, req, res) => {
      const fileId = String(req.params.fileId);
      let user = ctx.user;
      if (!user) {
        const signedFor = ctx.services.files.sessionIdFromSignature(fileId, req.query.access);
        user = signedFor ? ((await ctx.services.auth.liveSession(ctx.em, signedFor))?.user ?? null) : null;
      }
      requireUser({ user });
      const file = await ctx.em.findOne(StoredFile, { id: fileId });
      if (!file || !(await ctx.services.files.canDownload(ctx.em, user!, file, ctx.services.now()))) {
        throw new NotFoundError('There is no such file, or it is not open to you yet.');
      }
      res.set({
        'Content-Type': file.contentType,
        'Content-Length': String(file.size),
        'Content-Disposition': disposition(await downloadName(ctx.em, ctx.services.blindCodes, user!, file)),
        'X-Content-Type-Options': 'nosniff',
        // no-transform: sent byte for byte with its length, never compressed on the way (most are PDFs, images, archives)
        'Cache-Control': 'private, no-store, no-transform',
      });
      const stream = ctx.services.files.store.open(file.id);
      stream.on('error', (error) => respondWithError(res, req, error));
      stream.pipe(res);
    }),
  );

  router.use((req, res) =>
    respondWithError(
      res,
      req,
      new NotFoundError('There is no such file address; see the files table in the API notes.'),
    ),
  );
  // e.g. a path that is not valid percent-encoding: a 4xx in the same shape, never the generic 500
  router.use((error: Error & { status?: number }, req: Request, res: Response, next: NextFunction) => {
    if (!error.status || error.status >= 500) return next(error);
    respondWithError(
      res,
      req,
      new UploadRefusal(error.status, 'BAD_USER_INPUT', 'The file address could not be read; check the link.'),
    );
  });

  return router;
}
