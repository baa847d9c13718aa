import type { MessageKey } from '../../core/i18n/kk';

/** the label key of an appeal's state (FILED, UNDER_REVIEW, DECIDED) */
export const appealStatusKey = (status: string): MessageKey => `appeal.status.${status}` as MessageKey;
