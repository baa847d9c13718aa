import type { DestroyRef } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { Apollo } from 'apollo-angular';
import type { Subscription } from 'rxjs';
import { ExamResyncDocument } from './generated';

/**
 * Calls `reread` whenever the server says pushes to this exam may have been missed (its pub/sub link
 * was down and is back): the page re-reads exactly as it does after the socket reconnects.
 */
export function rereadOnResync(
  apollo: Apollo,
  examId: string,
  destroyRef: DestroyRef,
  reread: () => void,
): Subscription {
  return apollo
    .subscribe({ query: ExamResyncDocument, variables: { examId } })
    .pipe(takeUntilDestroyed(destroyRef))
    .subscribe({
      next: ({ data }) => {
        if (data?.examResync) reread();
      },
      error: () => undefined, // refused (signed out, not enrolled): the page's own query shows why
    });
}
