import { HttpClient, HttpErrorResponse, HttpEventType } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { filter, firstValueFrom, map, tap } from 'rxjs';
import { CodedError } from '../graphql/errors';
import type { FileRefFieldsFragment } from '../graphql/generated';

interface UploadReply {
  readonly files?: FileRefFieldsFragment[];
  readonly error?: { readonly code?: string };
}

function parseReply(text: unknown): UploadReply | null {
  if (typeof text !== 'string') return null;
  try {
    return JSON.parse(text) as UploadReply;
  } catch {
    return null; // not JSON: a proxy's page or a cut-off answer
  }
}

/** The server's refusal code (FILE_TOO_LARGE, EXAM_ENDED …), or NETWORK; a bare 413 (a proxy's limit) reads as FILE_TOO_LARGE. */
export function uploadRefusal(status: number, body: unknown): CodedError {
  if (status === 0) return new CodedError('NETWORK', 'the upload did not reach the server');
  const code =
    parseReply(body)?.error?.code ??
    (status === 413 ? 'FILE_TOO_LARGE' : status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'UPLOAD_FAILED');
  return new CodedError(code, `upload refused with HTTP ${status}`);
}

/**
 * Multipart uploads to `/files/…` through HttpClient (the auth interceptor adds the token), with upload progress.
 * Resolves with the stored files; rejects with a CodedError (see uploadRefusal).
 */
@Injectable({ providedIn: 'root' })
export class FileUploads {
  private readonly http = inject(HttpClient);

  upload(
    url: string,
    files: readonly File[],
    onProgress?: (percent: number) => void,
  ): Promise<FileRefFieldsFragment[]> {
    const form = new FormData();
    for (const file of files) form.append('file', file, file.name);
    const request = this.http
      .post(url, form, { observe: 'events', reportProgress: !!onProgress, responseType: 'text' })
      .pipe(
        tap((event) => {
          if (event.type === HttpEventType.UploadProgress && event.total)
            onProgress?.(Math.min(100, Math.round((event.loaded / event.total) * 100)));
        }),
        filter((event) => event.type === HttpEventType.Response),
        map((response) => {
          const stored = response.status === 201 ? parseReply(response.body)?.files : undefined;
          if (!stored) throw uploadRefusal(response.status, response.body);
          onProgress?.(100);
          return stored;
        }),
      );
    return firstValueFrom(request).catch((error: unknown) => {
      throw error instanceof HttpErrorResponse ? uploadRefusal(error.status, error.error) : error;
    });
  }
}
