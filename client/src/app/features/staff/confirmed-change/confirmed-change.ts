import { inject, Injectable } from '@angular/core';
import { CombinedGraphQLErrors } from '@apollo/client';
import { hasStarted } from '@rules';
import { I18n } from '../../../core/i18n/i18n';
import { Confirmation } from '../../../shared/confirm-dialog/confirm-dialog';

/** Thrown when staff said no to changing a started exam: nothing was changed, nothing to report. */
export class ChangeCancelled extends Error {
  constructor() {
    super('the change to a started exam was not confirmed');
  }
}

function needsConfirmation(error: unknown): boolean {
  return (
    CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.['code'] === 'CONFIRMATION_REQUIRED')
  );
}

/**
 * Changes to an exam that students may already be taking: the server refuses them with CONFIRMATION_REQUIRED
 * unless confirmStarted is sent, so staff are asked first and the change is sent again, confirmed.
 */
@Injectable({ providedIn: 'root' })
export class ConfirmedChange {
  private readonly confirmation = inject(Confirmation);
  private readonly i18n = inject(I18n);

  /** Runs the change; asks and retries when the server says the exam has started. Rejects with ChangeCancelled on "no". */
  async run<T>(change: (confirmStarted: boolean) => Promise<T>): Promise<T> {
    try {
      return await change(false);
    } catch (error) {
      if (!needsConfirmation(error)) throw error;
      if (!(await this.ask())) throw new ChangeCancelled();
      return change(true);
    }
  }

  /** For changes the server takes without asking (files added to a running exam): staff are asked all the same. */
  async askIfStarted(startsAt: string, now: number): Promise<void> {
    if (hasStarted({ startsAt }, now) && !(await this.ask())) throw new ChangeCancelled();
  }

  private ask(): Promise<boolean> {
    return this.confirmation.ask({
      title: this.i18n.t('staff.started.title'),
      text: this.i18n.t('staff.started.text'),
      confirm: this.i18n.t('staff.started.confirm'),
    });
  }
}
