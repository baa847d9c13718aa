import { inject, Injectable } from '@angular/core';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { Session } from '../../../core/auth/session';
import { CodedError } from '../../../core/graphql/errors';
import { RemoveExamFileDocument, type StaffFileFragment } from '../../../core/graphql/generated';

/** Where staff attach files: a ticket (shown to its holder with the questions) or a task exam. */
export type FileOwner = { readonly kind: 'ticket'; readonly ticketId: string } | { readonly kind: 'task'; readonly examId: string };

/** Files of tickets and tasks: plain HTTP uploads (several files in one request), GraphQL removal. */
@Injectable({ providedIn: 'root' })
export class ExamFilesApi {
  private readonly apollo = inject(Apollo);
  private readonly session = inject(Session);

  /** Rejects with a CodedError: the server's code (FILE_TOO_LARGE, FORBIDDEN …) or NETWORK. */
  async upload(owner: FileOwner, files: readonly File[]): Promise<StaffFileFragment[]> {
    const path = owner.kind === 'ticket' ? `/files/tickets/${encodeURIComponent(owner.ticketId)}` : `/files/exams/${encodeURIComponent(owner.examId)}/task`;
    const form = new FormData();
    for (const file of files) form.append('file', file, file.name);
    const token = this.session.token();
    let response: Response;
    try {
      response = await fetch(path, { method: 'POST', headers: token ? { Authorization: `Bearer ${token}` } : {}, body: form });
    } catch {
      throw new CodedError('NETWORK', 'the upload did not reach the server');
    }
    const body = (await response.json().catch(() => null)) as { files?: StaffFileFragment[]; error?: { code?: string } } | null;
    if (response.status === 201 && body?.files) return body.files;
    const code = body?.error?.code ?? (response.status === 413 ? 'FILE_TOO_LARGE' : response.status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'UPLOAD_FAILED');
    throw new CodedError(code, `upload refused with HTTP ${response.status}`);
  }

  async remove(fileId: string, confirmStarted: boolean): Promise<void> {
    await firstValueFrom(this.apollo.mutate({ mutation: RemoveExamFileDocument, variables: { fileId, confirmStarted } }));
  }
}
