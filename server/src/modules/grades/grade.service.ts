import type { EntityManager } from '@mikro-orm/core';
import { BadUserInputError, NotFoundError } from '../../common/errors';
import type { ExamEvents } from '../../common/events';
import { recordEvent, SittingEventKind } from '../audit/audit.service';
import { Answer, AnswerStatus } from '../answers/answer.entity';
import { canGrade } from '../../policy/sitting.policy';
import { hasEnded } from '../exams/exam-rules';
import { Sitting } from '../sittings/sitting.entity';
import { User } from '../users/user.entity';
import { bandFor } from './grade-scale';
import { Grade } from './grade.type';

export class GradeService {
  constructor(private readonly events: ExamEvents) {}

  /** R7.7: the exam's teacher or staff grade a sent answer, or anyone's sitting once the exam is over. */
  async grade(
    em: EntityManager,
    grader: User,
    sittingId: string,
    score: number,
    comment: string | null | undefined,
    now: Date,
  ): Promise<Sitting> {
    const sitting = await em.findOne(Sitting, { id: sittingId }, { populate: ['exam'] });
    if (!sitting || !canGrade(grader, sitting.exam))
      throw new NotFoundError('There is no such sitting among the exams you grade.');
    const band = bandFor(score);
    const answer = await em.findOne(Answer, { sitting: sitting.id });
    if (answer?.status !== AnswerStatus.SUBMITTED && !hasEnded(sitting.exam, sitting, now)) {
      throw new BadUserInputError(
        'This student has not sent an answer yet; grade it once it is sent or the exam is over.',
      );
    }
    if (comment && comment.length > 5000) throw new BadUserInputError('A comment is at most 5000 characters.');
    Object.assign(sitting, {
      score,
      letter: band.letter,
      gpa: band.gpa,
      gradeComment: comment?.trim() || null,
      gradedAt: now,
      gradedBy: em.getReference(User, grader.id),
    });
    recordEvent(em, sitting, SittingEventKind.GRADED, grader, now, `${score} (${band.letter})`);
    await em.flush();
    this.events.sittingChanged({ examId: sitting.exam.id, sittingId: sitting.id, studentId: sitting.student.id });
    return sitting;
  }

  static gradeOf(sitting: Sitting): Grade | null {
    if (sitting.score == null || !sitting.gradedAt || !sitting.gradedBy) return null;
    return Object.assign(new Grade(), {
      score: sitting.score,
      letter: sitting.letter!,
      gpa: sitting.gpa!,
      comment: sitting.gradeComment ?? null,
      gradedAt: sitting.gradedAt,
      gradedBy: sitting.gradedBy,
    });
  }
}
