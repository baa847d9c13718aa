import { inject, Injectable, signal } from '@angular/core';
import { LIMIT_DEFAULTS } from '@rules';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { AnswerLimitsDocument, type AnswerLimitsQuery } from '../../../core/graphql/generated';

export type AnswerLimitValues = AnswerLimitsQuery['answerLimits'];

const MB = 1024 * 1024;

/**
 * What one answer may hold, as the server's settings say (MAX_ANSWER_CHARS, MAX_FILE_MB, MAX_FILES_PER_ANSWER,
 * MAX_ANSWER_MB): read once, so the page shows the limits before they are met. Until the server answers, the
 * settings' defaults from @rules stand in.
 */
@Injectable({ providedIn: 'root' })
export class AnswerLimits {
  /** optional: a component spec renders the answer block without a server, and the defaults stand */
  private readonly apollo = inject(Apollo, { optional: true });
  private loading: Promise<void> | null = null;

  readonly values = signal<AnswerLimitValues>({
    maxChars: LIMIT_DEFAULTS.maxAnswerChars,
    maxFileBytes: LIMIT_DEFAULTS.maxFileMb * MB,
    maxFiles: LIMIT_DEFAULTS.maxFilesPerAnswer,
    maxTotalBytes: LIMIT_DEFAULTS.maxAnswerMb * MB,
  });

  /** Reads the server's limits once (again after a failure, e.g. when the page opened offline). */
  load(): Promise<void> {
    const apollo = this.apollo;
    if (!apollo) return Promise.resolve();
    this.loading ??= firstValueFrom(apollo.query({ query: AnswerLimitsDocument })).then(
      ({ data }) => {
        if (data) this.values.set(data.answerLimits);
      },
      () => {
        this.loading = null;
      },
    );
    return this.loading;
  }
}

/** Bytes as whole megabytes (the settings are in MB), at least 1. */
export function megabytes(bytes: number): number {
  return Math.max(1, Math.round(bytes / MB));
}
