import { inject, Injectable } from '@angular/core';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { CodedError } from '../../../core/graphql/errors';
import {
  DeleteAnswerFileDocument,
  type FileRefFieldsFragment,
  SaveAnswerDocument,
  type StudentAnswerFragment,
  SubmitAnswerDocument,
} from '../../../core/graphql/generated';
import { FileUploads } from '../../../core/http/upload';

/** The server side of the «Жауаптар» block: GraphQL for the text, HTTP uploads for files (with upload progress). */
@Injectable({ providedIn: 'root' })
export class AnswerApi {
  private readonly apollo = inject(Apollo);
  private readonly uploads = inject(FileUploads);

  /** R7.4; `baseVersion`: the answer's version this page last saw (refused with ANSWER_CONFLICT when it changed since) */
  async save(examId: string, text: string, baseVersion: number): Promise<StudentAnswerFragment> {
    const { data } = await firstValueFrom(
      this.apollo.mutate({ mutation: SaveAnswerDocument, variables: { examId, text, baseVersion } }),
    );
    if (!data) throw new CodedError('INTERNAL_SERVER_ERROR');
    return data.saveAnswer;
  }

  /** R7.5, R7.6 */
  async submit(examId: string, text: string, baseVersion: number): Promise<StudentAnswerFragment> {
    const { data } = await firstValueFrom(
      this.apollo.mutate({ mutation: SubmitAnswerDocument, variables: { examId, text, baseVersion } }),
    );
    if (!data) throw new CodedError('INTERNAL_SERVER_ERROR');
    return data.submitAnswer;
  }

  /** R7.3 */
  async deleteFile(examId: string, fileId: string): Promise<StudentAnswerFragment> {
    const { data } = await firstValueFrom(
      this.apollo.mutate({ mutation: DeleteAnswerFileDocument, variables: { examId, fileId } }),
    );
    if (!data) throw new CodedError('INTERNAL_SERVER_ERROR');
    return data.deleteAnswerFile;
  }

  /**
   * R7.2: one file per request, so each has its own progress and its own refusal.
   * Rejects with a CodedError: the server's code (FILE_TOO_LARGE, ANSWER_TOO_LARGE, EMPTY_FILE, TOO_MANY_FILES, EXAM_ENDED …)
   * or NETWORK.
   */
  upload(examId: string, file: File, onProgress: (percent: number) => void): Promise<FileRefFieldsFragment[]> {
    return this.uploads.upload(`/files/answers/${encodeURIComponent(examId)}`, [file], onProgress);
  }
}
