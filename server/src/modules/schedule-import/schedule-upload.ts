import type { Request, Response } from 'express';
import busboy from 'busboy';
import type { Context } from '../../context';
import { requireRole } from '../../common/auth';
import { ImportFileInvalidError } from '../../common/errors';
import { Role } from '../users/user.entity';
import { readScheduleFile } from './schedule-file';

/**
 * The one file of a multipart upload, held in memory up to `maxBytes` (a schedule is small; nothing is written to
 * disk, so no temporary file can be left behind on any path). Over the limit, malformed or empty: IMPORT_FILE_INVALID.
 */
function receiveOne(req: Request, maxBytes: number): Promise<{ name: string; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    if (!/^multipart\/form-data/i.test(req.headers['content-type'] ?? ''))
      return reject(
        new ImportFileInvalidError('Send the file as multipart/form-data (one part named file).', 'NOT_A_SCHEDULE'),
      );
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: maxBytes, fields: 5 } });
    } catch {
      return reject(new ImportFileInvalidError('The upload could not be read as multipart/form-data.', 'UNREADABLE'));
    }
    let file: { name: string; bytes: Buffer } | null = null;
    let failure: Error | null = null;
    parser.on('file', (_field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => {
        failure ??= new ImportFileInvalidError(
          `The file is larger than ${Math.round(maxBytes / 1024)} KB (IMPORT_MAX_FILE_KB); split the schedule.`,
          'TOO_LARGE',
          { maxKb: Math.round(maxBytes / 1024) },
          413,
        );
        chunks.length = 0; // the rest is read and dropped, not held
      });
      stream.on('end', () => {
        if (!failure) file = { name: info.filename ?? '', bytes: Buffer.concat(chunks) };
      });
    });
    parser.on('error', () =>
      reject(new ImportFileInvalidError('The upload did not arrive whole; send it again.', 'UNREADABLE')),
    );
    parser.on('close', () => {
      if (failure) reject(failure);
      else if (!file) reject(new ImportFileInvalidError('Choose a file to upload (one part named file).', 'EMPTY'));
      else resolve(file);
    });
    req.pipe(parser);
  });
}

/** POST /files/schedule-import?dryRun=false — staff upload a schedule; a dry run unless dryRun=false. */
export async function scheduleUpload(ctx: Context, req: Request, res: Response): Promise<void> {
  requireRole(ctx, Role.STAFF);
  const { config } = ctx.services;
  const { name, bytes } = await receiveOne(req, config.importMaxFileBytes);
  const rows = await readScheduleFile(bytes, name, config);
  const report = await ctx.services.scheduleImport.run(ctx.em, rows, req.query.dryRun !== 'false');
  res.status(200).json(report);
}
