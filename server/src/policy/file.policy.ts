import type { AnswerFacts } from './answer.policy';
import { canSeeAnswer } from './answer.policy';
import { canManage, canSeeExam, canSeeTask, type ExamFacts, type Viewer } from './exam.policy';
import { canSeeTicketQuestions, type HeldTicket } from './ticket.policy';
import { canSeeAppeal, type AppealFacts } from './appeal.policy';

/** What the download rule reads of a stored file: whose it is, and the viewer's own sitting at its exam. */
export type FileFacts =
  | { owner: 'answer'; exam: Pick<ExamFacts, 'teacher'>; answer: AnswerFacts; reviewer?: boolean }
  | {
      owner: 'task';
      exam: Pick<ExamFacts, 'teacher' | 'startsAt' | 'endsAt'>;
      viewerSitting: HeldTicket | null;
      reviewer?: boolean;
    }
  | {
      owner: 'ticket';
      exam: Pick<ExamFacts, 'teacher' | 'startsAt' | 'endsAt'>;
      ticketId: string;
      viewerSitting: HeldTicket | null;
      reviewer?: boolean;
    }
  | { owner: 'appeal'; appeal: AppealFacts }
  | { owner: 'none' };

/**
 * Who may download a file: as the pages show it. An answer's files with the answer, to its author and to those who
 * run the exam; a task's files with the task; a ticket's files with its questions. `reviewer`: the viewer sits on the
 * commission of an appeal of the sitting (answer, ticket) or of the exam (task), and sees its case. An appeal's files
 * with the appeal.
 */
export function canDownload(user: Viewer, file: FileFacts, now: Date): boolean {
  switch (file.owner) {
    case 'answer':
      return (
        (user.id === file.answer.authorId || canManage(user, file.exam) || !!file.reviewer) &&
        canSeeAnswer(user, file.answer)
      );
    case 'task':
      if (file.reviewer) return true;
      return canSeeExam(user, file.exam, !!file.viewerSitting) && canSeeTask(user, file.exam, now);
    case 'ticket':
      if (canManage(user, file.exam) || file.reviewer) return true;
      return (
        canSeeExam(user, file.exam, !!file.viewerSitting) &&
        canSeeTicketQuestions(file.exam, file.viewerSitting!, file.ticketId, now)
      );
    case 'appeal':
      return canSeeAppeal(user, file.appeal);
    default:
      return false;
  }
}
