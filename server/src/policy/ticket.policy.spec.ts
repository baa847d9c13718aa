import { canSeeEveryTicket, canSeeTicketNumber, canSeeTicketQuestions } from './ticket.policy';
import { after, before, during, exam, otherTeacher, ownTeacher, staff, student } from '../testing/policy-cast';

describe('ticket policy', () => {
  describe("canSeeEveryTicket: staff and the exam's teacher", () => {
    const table = [
      ['staff', staff, true],
      ["the exam's teacher", ownTeacher, true],
      ['another teacher', otherTeacher, false],
      ['a student', student, false],
    ] as const;
    for (const [who, user, expected] of table) {
      it(`${who}: ${expected}`, () => expect(canSeeEveryTicket(user, exam)).toBe(expected));
    }
  });

  describe('canSeeTicketNumber (R2.3): those who run the exam always, the student once it has started', () => {
    const table = [
      ['staff before the start', staff, before, true],
      ["the exam's teacher before the start", ownTeacher, before, true],
      ['the student before the start', student, before, false],
      ['the student at the start', student, during, true],
      ['the student after the end', student, after, true],
    ] as const;
    for (const [who, user, now, expected] of table) {
      it(`${who}: ${expected}`, () => expect(canSeeTicketNumber(user, exam, now)).toBe(expected));
    }
  });

  describe('canSeeTicketQuestions (R5.3): the holder, once the exam started and the questions were released', () => {
    const released = new Date('2026-06-01T09:05:00Z');
    const table = [
      ['their ticket, released, running', { ticketId: 't1', questionsReleasedAt: released }, 't1', during, true],
      ['their ticket, not released', { ticketId: 't1', questionsReleasedAt: null }, 't1', during, false],
      ['another ticket, released', { ticketId: 't1', questionsReleasedAt: released }, 't2', during, false],
      ['no ticket yet', { ticketId: null, questionsReleasedAt: null }, 't1', during, false],
      ['released, before the start', { ticketId: 't1', questionsReleasedAt: released }, 't1', before, false],
    ] as const;
    for (const [what, held, ticketId, now, expected] of table) {
      it(`${what}: ${expected}`, () => expect(canSeeTicketQuestions(exam, held, ticketId, now)).toBe(expected));
    }
  });
});
