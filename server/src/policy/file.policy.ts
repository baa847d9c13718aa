import type { AnswerFacts } from './answer.policy';
import { canSeeAnswer } from './answer.policy';
import { canManage, canSeeExam, canSeeTask, type ExamFacts, type Viewer } from './exam.policy';
import { canSeeTicketQuestions, type HeldTicket } from './ticket.policy';

/** What the download rule reads of a stored file: whose it is, and the viewer's own sitting at its exam. */
export type FileFacts =
  | { owner: 'answer'; exam: Pick<ExamFacts, 'teacher'>; answer: AnswerFacts }
  | { owner: 'task'; exam: Pick<ExamFacts, 'teacher' | 'startsAt' | 'endsAt'>; viewerSitting: HeldTicket | null }
  | {
      owner: 'ticket';
      exam: Pick<ExamFacts, 'teacher' | 'startsAt' | 'endsAt'>;
      ticketId: string;
      viewerSitting: HeldTicket | null;
    }
  | { owner: 'none' };

/**
 * Who may download a file: as the pages show it. An answer's files with the answer, to its author and to those who
 * run the exam; a task's files with the task; a ticket's files with its questions.
 */
export function canDownload(user: Viewer, file: FileFacts, now: Date): boolean {
  switch (file.owner) {
    case 'answer':
      return (user.id === file.answer.authorId || canManage(user, file.exam)) && canSeeAnswer(user, file.answer);
    case 'task':
      return canSeeExam(user, file.exam, !!file.viewerSitting) && canSeeTask(user, file.exam, now);
    case 'ticket':
      if (canManage(user, file.exam)) return true;
      return (
        canSeeExam(user, file.exam, !!file.viewerSitting) &&
        canSeeTicketQuestions(file.exam, file.viewerSitting!, file.ticketId, now)
      );
    default:
      return false;
  }
}
