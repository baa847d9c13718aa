import { Injectable } from '@angular/core';

export interface LocalDraft {
  readonly text: string;
  /** when it was typed, on the server's clock */
  readonly editedAt: number;
  /** the answer's version it was typed over: a newer server version means it was changed elsewhere since */
  readonly baseVersion?: number;
}

/**
 * The browser's copy of an answer the server does not have yet (R7.4 "never lose a word"):
 * written on every keystroke, removed once the server holds the same text.
 */
@Injectable({ providedIn: 'root' })
export class DraftStore {
  private key(userId: string, examId: string): string {
    return `attestation.answer.${userId}.${examId}`;
  }

  read(userId: string, examId: string): LocalDraft | null {
    try {
      const raw = localStorage.getItem(this.key(userId, examId));
      const parsed = raw ? (JSON.parse(raw) as Partial<LocalDraft>) : null;
      return typeof parsed?.text === 'string' &&
        typeof parsed.editedAt === 'number' &&
        (parsed.baseVersion === undefined || typeof parsed.baseVersion === 'number')
        ? (parsed as LocalDraft)
        : null;
    } catch {
      return null;
    }
  }

  write(userId: string, examId: string, draft: LocalDraft): void {
    try {
      localStorage.setItem(this.key(userId, examId), JSON.stringify(draft));
    } catch {
      // storage full or disabled: the server copy is all there is
    }
  }

  /** drops the copy only when it holds `text` (the server has it): another tab of this browser may keep its own there */
  clearIf(userId: string, examId: string, text: string): void {
    if (this.read(userId, examId)?.text === text) this.clear(userId, examId);
  }

  clear(userId: string, examId: string): void {
    try {
      localStorage.removeItem(this.key(userId, examId));
    } catch {
      // nothing stored
    }
  }
}
