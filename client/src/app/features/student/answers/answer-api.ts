import { inject, Injectable } from '@angular/core';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { Session } from '../../../core/auth/session';
import { CodedError } from '../../../core/graphql/errors';
import {
  DeleteAnswerFileDocument, type ExamFileFragment, SaveAnswerDocument, type StudentAnswerFragment, SubmitAnswerDocument,
} from '../../../core/graphql/generated';

interface UploadReply {
  readonly files?: ExamFileFragment[];
  readonly error?: { readonly code?: string };
}

function parseUploadReply(text: string): UploadReply | null {
  try {
    return JSON.parse(text) as UploadReply;
  } catch {
    return null; // not JSON: a proxy's page or a cut-off answer
  }
}

/** The server side of the «Жауаптар» block: GraphQL for the text, plain HTTP for files (with upload progress). */
@Injectable({ providedIn: 'root' })
export class AnswerApi {
  private readonly apollo = inject(Apollo);
  private readonly session = inject(Session);

  /** R7.4 */
  async save(examId: string, text: string): Promise<StudentAnswerFragment> {
    const { data } = await firstValueFrom(this.apollo.mutate({ mutation: SaveAnswerDocument, variables: { examId, text } }));
    if (!data) throw new CodedError('INTERNAL_SERVER_ERROR');
    return data.saveAnswer;
  }

  /** R7.5, R7.6 */
  async submit(examId: string, text: string): Promise<StudentAnswerFragment> {
    const { data } = await firstValueFrom(this.apollo.mutate({ mutation: SubmitAnswerDocument, variables: { examId, text } }));
    if (!data) throw new CodedError('INTERNAL_SERVER_ERROR');
    return data.submitAnswer;
  }

  /** R7.3 */
  async deleteFile(examId: string, fileId: string): Promise<StudentAnswerFragment> {
    const { data } = await firstValueFrom(this.apollo.mutate({ mutation: DeleteAnswerFileDocument, variables: { examId, fileId } }));
    if (!data) throw new CodedError('INTERNAL_SERVER_ERROR');
    return data.deleteAnswerFile;
  }

  /**
   * R7.2: one file per request, so each has its own progress and its own refusal.
   * Rejects with a CodedError: the server's code (FILE_TOO_LARGE, ANSWER_TOO_LARGE, EMPTY_FILE, TOO_MANY_FILES, EXAM_ENDED …)
   * or NETWORK; a bare 413 (a proxy's limit) reads as FILE_TOO_LARGE.
   */
  upload(examId: string, file: File, onProgress: (percent: number) => void): Promise<ExamFileFragment[]> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `/files/answers/${encodeURIComponent(examId)}`);
      const token = this.session.token();
      if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable) onProgress(Math.min(100, Math.round((event.loaded / event.total) * 100)));
      };
      xhr.onload = () => {
        const body = parseUploadReply(xhr.responseText);
        if (xhr.status === 201 && body?.files) {
          onProgress(100);
          resolve(body.files);
          return;
        }
        const code = body?.error?.code ?? (xhr.status === 413 ? 'FILE_TOO_LARGE' : xhr.status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'UPLOAD_FAILED');
        reject(new CodedError(code, `upload refused with HTTP ${xhr.status}`));
      };
      xhr.onerror = () => reject(new CodedError('NETWORK', 'the upload did not reach the server'));
      xhr.onabort = () => reject(new CodedError('UPLOAD_FAILED', 'the upload was cancelled'));
      const form = new FormData();
      form.append('file', file, file.name);
      xhr.send(form);
    });
  }
}
