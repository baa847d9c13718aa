import { inject, Injectable } from '@angular/core';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { RemoveExamFileDocument, type FileRefFieldsFragment } from '../../../core/graphql/generated';
import { FileUploads } from '../../../core/http/upload';

/** Where staff attach files: a ticket (shown to its holder with the questions) or a task exam. */
export type FileOwner =
  { readonly kind: 'ticket'; readonly ticketId: string } | { readonly kind: 'task'; readonly examId: string };

/** Files of tickets and tasks: plain HTTP uploads (several files in one request), GraphQL removal. */
@Injectable({ providedIn: 'root' })
export class ExamFilesApi {
  private readonly apollo = inject(Apollo);
  private readonly uploads = inject(FileUploads);

  /** Rejects with a CodedError: the server's code (FILE_TOO_LARGE, FORBIDDEN …) or NETWORK. */
  upload(owner: FileOwner, files: readonly File[]): Promise<FileRefFieldsFragment[]> {
    const path =
      owner.kind === 'ticket'
        ? `/files/tickets/${encodeURIComponent(owner.ticketId)}`
        : `/files/exams/${encodeURIComponent(owner.examId)}/task`;
    return this.uploads.upload(path, files);
  }

  async remove(fileId: string, confirmStarted: boolean): Promise<void> {
    await firstValueFrom(
      this.apollo.mutate({ mutation: RemoveExamFileDocument, variables: { fileId, confirmStarted } }),
    );
  }
}
