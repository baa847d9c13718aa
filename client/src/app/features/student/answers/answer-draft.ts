import { computed, DestroyRef, effect, inject, Injectable, InjectionToken, signal, untracked } from '@angular/core';
import { Connection } from '../../../core/graphql/connection';
import { type ErrorCode, errorCode } from '../../../core/graphql/errors';
import type { FileRefFieldsFragment, StudentAnswerFragment } from '../../../core/graphql/generated';
import { ServerClock } from '../../../core/graphql/server-clock';
import { answerLength, isSubstantialAnswer } from '@rules';
import { AnswerApi } from './answer-api';
import { AnswerLimits } from './answer-limits';
import { DraftStore } from './draft-store';

export interface AnswerTiming {
  /** autosave this long after typing stops */
  readonly autosaveMs: number;
  /** try again this often while the server cannot be reached */
  readonly retryMs: number;
}

export const ANSWER_TIMING = new InjectionToken<AnswerTiming>('ANSWER_TIMING', {
  factory: () => ({ autosaveMs: 2500, retryMs: 5000 }),
});

export type SyncState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'saving' }
  | { readonly kind: 'saved'; readonly at: string }
  /** the server could not be reached: kept in the browser, retried */
  | { readonly kind: 'local' }
  /** too short for the server (R7.4): kept in the browser */
  | { readonly kind: 'short' }
  | { readonly kind: 'failed'; readonly code: ErrorCode };

/** The answer changed elsewhere while this page had edits of its own: the newer text, until the student chooses. */
export interface AnswerConflict {
  readonly theirs: string;
  readonly version: number;
  readonly savedAt: string | null;
}

export interface UploadItem {
  readonly key: number;
  readonly name: string;
  readonly percent: number;
  readonly failed: ErrorCode | null;
}

/**
 * The browser copy is written at most this often while typing (at once after a pause, and when the page is hidden or
 * closed): serialising and storing a 100,000-character text on every key made typing lag.
 */
const LOCAL_COPY_MS = 1000;

/** Codes after which the answer cannot change any more: the page re-reads the exam to show why. */
const FINAL_REFUSALS: readonly ErrorCode[] = ['EXAM_ENDED', 'ANSWER_SUBMITTED'];
/** Codes after which the text stays in the browser and is sent again a little later (TOO_MANY_REQUESTS: the per-minute save limit) */
const UNREACHABLE: readonly ErrorCode[] = ['NETWORK', 'INTERNAL_SERVER_ERROR', 'TOO_MANY_REQUESTS'];

/**
 * The student's answer while it is written: the text with its browser copy and autosave, the files
 * with their uploads, and sending. Never loses a word: every keystroke goes to localStorage first,
 * and the copy is dropped only once the server holds exactly that text.
 */
@Injectable()
export class AnswerDraft {
  private readonly api = inject(AnswerApi);
  private readonly store = inject(DraftStore);
  private readonly clock = inject(ServerClock);
  private readonly timing = inject(ANSWER_TIMING);
  private readonly limits = inject(AnswerLimits);

  private examId = '';
  private userId = '';
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private localCopyTimer: ReturnType<typeof setTimeout> | undefined;
  private localCopyAt = 0;
  private inFlight: Promise<void> | null = null;
  private uploadSeq = 0;
  private locked = false;

  /** the page re-reads the exam: the server changed something (a file arrived) or refused for good */
  onServerChange: () => void = () => undefined;

  readonly text = signal('');
  /** the text the server holds */
  private readonly serverText = signal('');
  /** the version of `serverText` (0 before the first save): every save and send is made over it */
  private readonly serverVersion = signal(0);
  /** the text of the save on its way: its own push (or cached reply) may come before the reply, and is no change elsewhere */
  private savingText: string | null = null;
  /** changed on another device or tab while this page had unsaved edits: both texts are shown until the student chooses */
  readonly conflict = signal<AnswerConflict | null>(null);
  /** the text was replaced quietly by a newer one from another device or tab (this page had nothing unsaved) */
  readonly updatedElsewhere = signal(false);
  readonly files = signal<readonly FileRefFieldsFragment[]>([]);
  readonly uploads = signal<readonly UploadItem[]>([]);
  readonly sync = signal<SyncState>({ kind: 'idle' });
  readonly restored = signal(false);
  readonly submittedAt = signal<string | null>(null);
  readonly sending = signal(false);
  readonly sendError = signal<ErrorCode | null>(null);
  readonly fileError = signal<{ readonly name: string; readonly code: ErrorCode } | null>(null);
  readonly deleting = signal(false);

  readonly length = computed(() => answerLength(this.text()));
  /** files that count as an answer: an empty (0-byte) one does not (the server refuses it, older drafts may hold one) */
  readonly answerFiles = computed(() => this.files().filter((f) => f.size > 0).length);
  readonly substantial = computed(() => isSubstantialAnswer(this.text(), this.answerFiles()));
  readonly submitted = computed(() => this.submittedAt() !== null);
  readonly unsynced = computed(() => this.text() !== this.serverText());
  /** Save and Send wait: a request is under way, or the student has to choose between two texts first */
  readonly busy = computed(() => this.sending() || this.sync().kind === 'saving' || this.conflict() !== null);

  constructor() {
    // back online: whatever the server is missing goes now, not at the next retry tick
    const connection = inject(Connection);
    effect(() => {
      if (connection.state() === 'online') untracked(() => this.backOnline());
    });
    const online = () => this.backOnline();
    // a copy still due is written before the page goes away (closed, reloaded, or hidden on a phone and then killed)
    const hidden = () => document.visibilityState === 'hidden' && this.writePendingCopy();
    const leaving = () => this.writePendingCopy();
    window.addEventListener('online', online);
    window.addEventListener('pagehide', leaving);
    document.addEventListener('visibilitychange', hidden);
    inject(DestroyRef).onDestroy(() => {
      window.removeEventListener('online', online);
      window.removeEventListener('pagehide', leaving);
      document.removeEventListener('visibilitychange', hidden);
      this.writePendingCopy();
      clearTimeout(this.saveTimer);
      clearTimeout(this.retryTimer);
    });
  }

  /** The starting text: the server's, unless this browser holds a newer one the server never got. */
  init(examId: string, userId: string, answer: StudentAnswerFragment | null): void {
    this.examId = examId;
    this.userId = userId;
    if (answer?.status === 'SUBMITTED') {
      this.accept(answer);
      return;
    }
    const serverText = answer?.text ?? '';
    const serverVersion = answer?.version ?? 0;
    this.serverText.set(serverText);
    this.serverVersion.set(serverVersion);
    this.files.set(answer?.files ?? []);
    const local = this.store.read(userId, examId);
    const serverSavedAt = answer?.savedAt ? Date.parse(answer.savedAt) : 0;
    // a copy typed over the version the server still holds goes on; one typed over an older version is never put back
    // silently over the newer text: the student sees both and chooses (a copy of an older page: by its time)
    const restorable =
      local && local.text !== serverText
        ? local.baseVersion === undefined
          ? local.editedAt > serverSavedAt
          : true
        : false;
    if (local && restorable) {
      this.text.set(local.text);
      this.restored.set(true);
      if (local.baseVersion !== undefined && local.baseVersion < serverVersion) {
        this.conflict.set({ theirs: serverText, version: serverVersion, savedAt: answer?.savedAt ?? null });
      } else {
        this.schedule(0);
      }
    } else {
      this.text.set(serverText);
      this.dropLocalCopy();
      if (answer?.savedAt) this.sync.set({ kind: 'saved', at: answer.savedAt });
    }
  }

  /**
   * A newer read of the exam or a push (mySittingChanged): a sent answer (from another tab, or a reply lost on the
   * way) wins; a newer version of the text is taken quietly when this page has nothing unsaved, else both are shown.
   */
  applyServer(answer: StudentAnswerFragment | null): void {
    if (!answer) return;
    if (answer.status === 'SUBMITTED') {
      if (!this.submitted()) this.accept(answer);
      return;
    }
    this.files.set(answer.files);
    this.takeVersion(answer);
  }

  private takeVersion(answer: StudentAnswerFragment): void {
    const pending = this.conflict();
    if (answer.version <= (pending?.version ?? this.serverVersion())) return; // known here already, or older
    if (answer.text === this.savingText || answer.text === this.text()) {
      // this page's own save (its push came first), or the same text: the new base, nothing to choose
      this.serverText.set(answer.text);
      this.serverVersion.set(answer.version);
      if (answer.text === this.text()) {
        this.conflict.set(null);
        this.store.clearIf(this.userId, this.examId, answer.text);
      }
      return;
    }
    if (!this.unsynced() && this.savingText === null && !pending) {
      this.text.set(answer.text);
      this.serverText.set(answer.text);
      this.serverVersion.set(answer.version);
      // nothing of this page's is unsaved: a copy there is another tab's of this browser, or the text now on the server
      this.store.clearIf(this.userId, this.examId, answer.text);
      this.restored.set(false);
      this.updatedElsewhere.set(true);
      if (answer.savedAt) this.sync.set({ kind: 'saved', at: answer.savedAt });
      return;
    }
    // this page has edits of its own: nothing is saved over the newer text until the student chooses
    clearTimeout(this.saveTimer);
    clearTimeout(this.retryTimer);
    this.conflict.set({ theirs: answer.text, version: answer.version, savedAt: answer.savedAt ?? null });
  }

  /** The conflict: this page's text stays and is saved over the newer version. */
  async keepMine(): Promise<void> {
    const pending = this.conflict();
    if (!pending) return;
    this.serverText.set(pending.theirs);
    this.serverVersion.set(pending.version);
    this.conflict.set(null);
    this.updatedElsewhere.set(false);
    this.sendError.set(null); // a send refused for the conflict: sent again, over the new version, when pressed
    this.writeLocalCopy();
    await this.flush(true);
  }

  /** The conflict: the newer text replaces this page's. */
  keepTheirs(): void {
    const pending = this.conflict();
    if (!pending) return;
    this.text.set(pending.theirs);
    this.serverText.set(pending.theirs);
    this.serverVersion.set(pending.version);
    this.conflict.set(null);
    this.restored.set(false);
    this.sendError.set(null);
    this.dropLocalCopy();
    this.sync.set(pending.savedAt ? { kind: 'saved', at: pending.savedAt } : { kind: 'idle' });
  }

  /** the end time came or the answer was sent: nothing more goes to the server */
  setLocked(locked: boolean): void {
    this.locked = locked;
    if (locked) {
      clearTimeout(this.saveTimer);
      clearTimeout(this.retryTimer);
    }
  }

  edit(text: string): void {
    if (this.locked || this.submitted()) return;
    this.text.set(text);
    this.updatedElsewhere.set(false);
    if (text === this.serverText()) {
      this.dropLocalCopy();
    } else {
      this.keepLocalCopy();
      if (!this.substantial()) this.sync.set({ kind: 'short' });
    }
    this.schedule(this.timing.autosaveMs);
  }

  /** «Сақтау» (R7.4) */
  save(): Promise<void> {
    return this.flush(true);
  }

  /** Autosave: sends the text when the server does not hold it yet; one request at a time. */
  async flush(force = false): Promise<void> {
    clearTimeout(this.saveTimer);
    if (this.locked || this.submitted() || this.sending() || this.conflict()) return;
    while (this.inFlight) {
      await this.inFlight;
      if (!force && !this.unsynced()) return;
    }
    if (this.locked || this.submitted() || this.sending() || this.conflict()) return;
    const text = this.text();
    if (!force && text === this.serverText()) return;
    if (!isSubstantialAnswer(text, this.answerFiles())) {
      this.sync.set({ kind: 'short' });
      return;
    }
    clearTimeout(this.retryTimer);
    this.sync.set({ kind: 'saving' });
    this.savingText = text;
    const request = this.api.save(this.examId, text, this.serverVersion()).then(
      (answer) => {
        this.savingText = null;
        this.serverText.set(text);
        this.serverVersion.set(answer.version);
        this.files.set(answer.files);
        this.sync.set({ kind: 'saved', at: answer.savedAt ?? new Date(this.clock.exactNow()).toISOString() });
        this.restored.set(false);
        // typed on while it was saving: the browser copy is now over the new version
        if (this.text() === text) this.dropLocalCopy();
        else this.writeLocalCopy();
      },
      (error: unknown) => {
        this.savingText = null;
        this.saveFailed(errorCode(error));
      },
    );
    this.inFlight = request;
    await request;
    this.inFlight = null;
    // typed on while it was saving
    if (this.unsynced() && this.sync().kind === 'saved') this.schedule(this.timing.autosaveMs);
  }

  /** «Жауапты жіберу» (R7.5, R7.6): the text as it stands is saved and sent in one step. */
  async send(): Promise<void> {
    if (this.sending() || this.submitted() || this.conflict()) return;
    clearTimeout(this.saveTimer);
    clearTimeout(this.retryTimer);
    this.sending.set(true);
    while (this.inFlight) await this.inFlight;
    this.sendError.set(null);
    try {
      this.accept(await this.api.submit(this.examId, this.text(), this.serverVersion()));
    } catch (error) {
      this.sendError.set(errorCode(error));
      // the browser copy stays; a re-read shows whether it landed after all (a reply lost on the way) or why not
      // (ANSWER_CONFLICT: the newer text it brings is shown beside this page's)
      this.writeLocalCopy();
      this.onServerChange();
    } finally {
      this.sending.set(false);
    }
  }

  /** R7.2: several files, one after another, each with its progress and its own refusal. */
  async upload(files: readonly File[]): Promise<void> {
    for (const file of files) {
      const key = ++this.uploadSeq;
      this.fileError.set(null);
      this.uploads.update((list) => [...list, { key, name: file.name, percent: 0, failed: null }]);
      const refusal = this.refusedBeforeSending(file);
      if (refusal) {
        // refused by the server anyway: say so without sending it
        this.uploads.update((list) => list.map((u) => (u.key === key ? { ...u, failed: refusal } : u)));
        continue;
      }
      try {
        const stored = await this.api.upload(this.examId, file, (percent) =>
          this.uploads.update((list) => list.map((u) => (u.key === key ? { ...u, percent } : u))),
        );
        // a push (mySittingChanged) may have brought the new file before this reply did: keep one entry per file
        this.files.update((list) => [...list.filter((f) => !stored.some((s) => s.id === f.id)), ...stored]);
        this.uploads.update((list) => list.filter((u) => u.key !== key));
        this.onServerChange();
      } catch (error) {
        const code = errorCode(error);
        this.uploads.update((list) => list.map((u) => (u.key === key ? { ...u, failed: code } : u)));
        if (FINAL_REFUSALS.includes(code)) this.onServerChange();
      }
    }
    // a text too short on its own may be saved now that a file makes the answer substantial
    if (this.unsynced()) this.schedule(0);
  }

  dismissUpload(key: number): void {
    this.uploads.update((list) => list.filter((u) => u.key !== key));
  }

  /** «Өшіру» (R7.3) */
  async removeFile(file: FileRefFieldsFragment): Promise<void> {
    if (this.deleting()) return;
    this.deleting.set(true);
    this.fileError.set(null);
    try {
      const answer = await this.api.deleteFile(this.examId, file.id);
      this.files.set(answer.files);
    } catch (error) {
      const code = errorCode(error);
      this.fileError.set({ name: file.name, code });
      if (FINAL_REFUSALS.includes(code) || code === 'NOT_FOUND') this.onServerChange();
    } finally {
      this.deleting.set(false);
    }
  }

  private accept(answer: StudentAnswerFragment): void {
    clearTimeout(this.saveTimer);
    clearTimeout(this.retryTimer);
    this.text.set(answer.text);
    this.serverText.set(answer.text);
    this.serverVersion.set(answer.version);
    this.conflict.set(null);
    this.files.set(answer.files);
    this.submittedAt.set(answer.submittedAt ?? answer.savedAt ?? new Date(this.clock.exactNow()).toISOString());
    this.sendError.set(null);
    this.restored.set(false);
    this.sync.set({ kind: 'idle' });
    this.dropLocalCopy();
  }

  /** The server's own limits, checked before a file is sent (the server checks again). */
  private refusedBeforeSending(file: File): ErrorCode | null {
    const { maxFileBytes, maxFiles, maxTotalBytes } = this.limits.values();
    if (file.size === 0) return 'EMPTY_FILE';
    if (file.size > maxFileBytes) return 'FILE_TOO_LARGE';
    const held = this.files();
    if (held.length >= maxFiles) return 'TOO_MANY_FILES';
    if (held.reduce((sum, f) => sum + f.size, 0) + file.size > maxTotalBytes) return 'ANSWER_TOO_LARGE';
    return null;
  }

  /** The connection is back: a refusal that only said "no connection" is over, and the server gets what it lacks. */
  private backOnline(): void {
    if (this.sendError() === 'NETWORK') this.sendError.set(null);
    if (this.unsynced()) void this.flush();
  }

  /** Keeps the browser copy of the text: at once after a pause in typing, otherwise at most every LOCAL_COPY_MS. */
  private keepLocalCopy(): void {
    if (this.localCopyTimer !== undefined) return; // the copy that is due takes the latest text
    const wait = this.localCopyAt + LOCAL_COPY_MS - Date.now();
    if (wait <= 0) this.writeLocalCopy();
    else this.localCopyTimer = setTimeout(() => this.writeLocalCopy(), wait);
  }

  private writeLocalCopy(): void {
    clearTimeout(this.localCopyTimer);
    this.localCopyTimer = undefined;
    this.localCopyAt = Date.now();
    // the version it was typed over: a copy of an older version is never put back silently
    this.store.write(this.userId, this.examId, {
      text: this.text(),
      editedAt: this.clock.exactNow(),
      baseVersion: this.serverVersion(),
    });
  }

  private writePendingCopy(): void {
    if (this.localCopyTimer !== undefined) this.writeLocalCopy();
  }

  private dropLocalCopy(): void {
    clearTimeout(this.localCopyTimer);
    this.localCopyTimer = undefined;
    this.store.clear(this.userId, this.examId);
  }

  private saveFailed(code: ErrorCode): void {
    if (UNREACHABLE.includes(code)) {
      this.sync.set({ kind: 'local' });
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => void this.flush(), this.timing.retryMs);
    } else if (code === 'ANSWER_TOO_SHORT') {
      this.sync.set({ kind: 'short' });
    } else if (code === 'ANSWER_CONFLICT') {
      // saved elsewhere meanwhile (its push may not have come): the re-read brings the newer text to choose from
      this.sync.set({ kind: 'failed', code });
      this.onServerChange();
    } else {
      this.sync.set({ kind: 'failed', code });
      if (FINAL_REFUSALS.includes(code)) this.onServerChange();
    }
  }

  private schedule(ms: number): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => void this.flush(), ms);
  }
}
