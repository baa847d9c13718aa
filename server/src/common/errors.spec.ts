import { locatedError } from 'graphql';
import { TicketTakenError } from './errors';

describe('a refusal (AppError)', () => {
  it('keeps its message and code, and neither it nor the error graphql-js wraps it in has its stack formatted', () => {
    const formatting = Error.prepareStackTrace;
    const formattedFor: unknown[] = [];
    Error.prepareStackTrace = (error, frames) => {
      formattedFor.push(error);
      return formatting ? formatting(error, frames) : String(error);
    };
    try {
      const refusal = new TicketTakenError('Another student took this ticket.');
      const wrapped = locatedError(refusal, [], ['chooseTicket']);
      expect(wrapped.originalError).toBe(refusal);
      expect(wrapped.message).toBe('Another student took this ticket.');
      expect(refusal.extensions.code).toBe('TICKET_TAKEN');
      const formattedRefusals = () => formattedFor.filter((error) => error === refusal || error === wrapped);
      expect(formattedRefusals()).toEqual([]);
      expect(refusal.stack).toBeUndefined();
      expect(wrapped.stack).toContain('\n    at '); // the wrapper's own frames, formatted only when someone reads them
      expect(formattedRefusals()).toEqual([wrapped]);
    } finally {
      Error.prepareStackTrace = formatting;
    }
  });
});
