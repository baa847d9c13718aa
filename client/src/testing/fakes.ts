import { signal } from '@angular/core';
import { CodedError, type ErrorCode } from '../app/core/graphql/errors';
import type { FileRefFieldsFragment, StudentAnswerFragment } from '../app/core/graphql/generated';
import type { ConfirmQuestion } from '../app/shared/confirm-dialog/confirm-dialog';
import { at } from './exam-fixtures';

/** Stands in for the Material dialog: answers every question with `answer`, and remembers what was asked. */
export class FakeConfirmation {
  answer = true;
  readonly asked: ConfirmQuestion[] = [];
  async ask(question: ConfirmQuestion): Promise<boolean> {
    this.asked.push(question);
    return this.answer;
  }
}

export function answerFixture(overrides: Partial<StudentAnswerFragment> = {}): StudentAnswerFragment {
  return {
    id: 'answer-1',
    text: '',
    status: 'DRAFT',
    savedAt: null,
    submittedAt: null,
    version: 0,
    files: [],
    ...overrides,
  };
}

export function fileFixture(name: string): FileRefFieldsFragment {
  return { id: `file-${name}`, name, size: 2048, contentType: 'text/plain', url: `/files/file-${name}?access=x` };
}

/** The server side of the answers block, in memory; `refuse` makes the next calls fail with a code. */
export class FakeAnswerApi {
  text = '';
  files: FileRefFieldsFragment[] = [];
  status: 'DRAFT' | 'SUBMITTED' = 'DRAFT';
  refuse: ErrorCode | null = null;
  /** the answer's version: a save or send over another one is refused with ANSWER_CONFLICT, as the server does */
  version = 0;
  readonly saves: string[] = [];
  readonly submits: string[] = [];
  readonly uploadProgress = signal(0);

  private answer(): StudentAnswerFragment {
    return answerFixture({
      text: this.text,
      status: this.status,
      files: [...this.files],
      savedAt: new Date().toISOString(),
      submittedAt: this.status === 'SUBMITTED' ? at(0) : null,
      version: this.version,
    });
  }

  private check(baseVersion?: number): void {
    if (this.refuse) throw new CodedError(this.refuse);
    if (baseVersion !== undefined && baseVersion !== this.version) throw new CodedError('ANSWER_CONFLICT');
  }

  async save(_examId: string, text: string, baseVersion?: number): Promise<StudentAnswerFragment> {
    this.saves.push(text);
    this.check(baseVersion);
    this.text = text;
    this.version++;
    return this.answer();
  }

  async submit(_examId: string, text: string, baseVersion?: number): Promise<StudentAnswerFragment> {
    this.submits.push(text);
    this.check(baseVersion);
    this.text = text;
    this.version++;
    this.status = 'SUBMITTED';
    return this.answer();
  }

  async deleteFile(_examId: string, fileId: string): Promise<StudentAnswerFragment> {
    this.check();
    this.files = this.files.filter((f) => f.id !== fileId);
    return this.answer();
  }

  async upload(_examId: string, file: File, onProgress: (percent: number) => void): Promise<FileRefFieldsFragment[]> {
    onProgress(50);
    this.check();
    const stored = fileFixture(file.name);
    this.files.push(stored);
    return [stored];
  }
}

/** waits for timers and the change detection they cause */
export const settle = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

/** polls until the condition holds (timers under a loaded CI machine run late), failing after `ms` */
export async function waitUntil(condition: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('the condition did not hold in time');
    await settle(10);
  }
}
