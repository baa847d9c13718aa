import type { EntityManager } from '@mikro-orm/core';
import { BadUserInputError, GradeNotPublishedError, GradePublishedError, NotFoundError } from '../../common/errors';
import type { ExamEvents } from '../../common/events';
import { MAX_GRADE_REASON_CHARS } from '../../rules';
import { recordEvent, SittingEventKind } from '../audit/audit.service';
import { Answer, AnswerStatus } from '../answers/answer.entity';
import { canGrade } from '../../policy/sitting.policy';
import { hasEnded } from '../exams/exam-rules';
import { ResultsRelease, type Exam } from '../exams/exam.entity';
import { Sitting } from '../sittings/sitting.entity';
import { User } from '../users/user.entity';
import { GradeChangeKind } from './grade-change.entity';
import { recordGradeChange } from './grade-history';
import { isGradePublished, resultsPublished } from './grade-publication';
import { bandFor } from './grade-scale';
import { Grade } from './grade.type';

/** the trail's entry for each way a published grade changes */
const TRAIL_KIND_OF: Record<Exclude<GradeChangeKind, GradeChangeKind.PUBLISHED>, SittingEventKind> = {
  [GradeChangeKind.CORRECTED]: SittingEventKind.GRADE_CORRECTED,
  [GradeChangeKind.APPEAL_DECIDED]: SittingEventKind.GRADE_CHANGED_ON_APPEAL,
};

/** issue 12: a grade saved now is published at once: the exam publishes grade by grade, or its results are out already */
export const publishesAtSave = (exam: Pick<Exam, 'resultsRelease' | 'resultsPublishedAt'>): boolean =>
  exam.resultsRelease === ResultsRelease.AT_ONCE || resultsPublished(exam);

export class GradeService {
  constructor(private readonly events: ExamEvents) {}

  /**
   * R7.7: the exam's teacher or staff grade a sent answer, or anyone's sitting once the exam is over. Until it is
   * published the grade is a draft they may change; once published (issue 12) only `changePublishedGrade` changes it.
   */
  async grade(
    em: EntityManager,
    grader: User,
    sittingId: string,
    score: number,
    comment: string | null | undefined,
    now: Date,
  ): Promise<Sitting> {
    const sitting = await em.transactional(async (tx) => {
      const sitting = await tx.findOne(Sitting, { id: sittingId }, { populate: ['exam'] });
      if (!sitting || !canGrade(grader, sitting.exam))
        throw new NotFoundError('There is no such sitting among the exams you grade.');
      assertDraft(sitting);
      const band = bandFor(score);
      const answer = await tx.findOne(Answer, { sitting: sitting.id });
      if (answer?.status !== AnswerStatus.SUBMITTED && !hasEnded(sitting.exam, sitting, now)) {
        throw new BadUserInputError(
          'This student has not sent an answer yet; grade it once it is sent or the exam is over.',
        );
      }
      if (comment && comment.length > 5000) throw new BadUserInputError('A comment is at most 5000 characters.');
      const publish = publishesAtSave(sitting.exam);
      const fields = {
        score,
        letter: band.letter,
        gpa: band.gpa,
        gradeComment: comment?.trim() || null,
        gradedAt: now,
        gradedBy: tx.getReference(User, grader.id),
        gradePublishedAt: publish ? now : null,
      };
      // only a draft is written: a publication committed meanwhile leaves nothing to change (GRADE_PUBLISHED)
      const written = await tx.nativeUpdate(Sitting, { id: sitting.id, gradePublishedAt: null }, fields);
      if (!written) throw publishedError(now);
      Object.assign(sitting, fields); // the flush at commit writes the same values once more, with the trail
      recordEvent(tx, sitting, SittingEventKind.GRADED, grader, now, `${score} (${band.letter})`);
      if (publish) {
        recordGradeChange(tx, { sitting, kind: GradeChangeKind.PUBLISHED, actor: grader, at: now });
        recordEvent(tx, sitting, SittingEventKind.GRADE_PUBLISHED, grader, now, `${score} (${band.letter})`);
      }
      return sitting;
    });
    this.gradeChanged(sitting);
    return sitting;
  }

  /**
   * issue 12: the single path for changing a published grade — a staff correction (CORRECTED) or an appeal's decision
   * (APPEAL_DECIDED, which may keep the score). Validates the score and a non-empty reason, updates the sitting,
   * records the GradeChange and a trail entry, flushes, and pushes to the student and staff. Inside a transaction
   * (`em.isInTransaction()`) it does not push: the caller calls `gradeChanged(sitting)` after its commit.
   */
  async changePublishedGrade(
    em: EntityManager,
    actor: Pick<User, 'id'>,
    sitting: Sitting,
    score: number,
    reason: string,
    kind: GradeChangeKind.CORRECTED | GradeChangeKind.APPEAL_DECIDED,
    now: Date,
  ): Promise<Sitting> {
    if (!isGradePublished(sitting)) {
      throw new GradeNotPublishedError(
        "This grade has not been published to the student yet; change the draft in grading, or publish the exam's results first.",
      );
    }
    const band = bandFor(score);
    const why = reason?.trim() ?? '';
    if (!why) throw new BadUserInputError('Give the reason for changing a published grade; it is kept in its history.');
    if (why.length > MAX_GRADE_REASON_CHARS)
      throw new BadUserInputError(`A reason is at most ${MAX_GRADE_REASON_CHARS} characters.`);
    const previousScore = sitting.score!;
    if (kind === GradeChangeKind.CORRECTED && score === previousScore)
      throw new BadUserInputError(`The grade is ${score} already; a correction changes it.`);
    Object.assign(sitting, { score, letter: band.letter, gpa: band.gpa });
    recordGradeChange(em, { sitting, kind, previousScore, reason: why, actor, at: now });
    recordEvent(
      em,
      sitting,
      TRAIL_KIND_OF[kind],
      em.getReference(User, actor.id),
      now,
      `${previousScore} → ${score} (${band.letter})`,
    );
    await em.flush();
    if (!em.isInTransaction()) this.gradeChanged(sitting);
    return sitting;
  }

  /** tells the student's page and staff's room that the sitting's grade changed (after the commit) */
  gradeChanged(sitting: Sitting): void {
    this.events.sittingChanged({ examId: sitting.exam.id, sittingId: sitting.id, studentId: sitting.student.id });
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

const publishedError = (at: Date | null | undefined) =>
  new GradePublishedError(
    `This grade was published to the student${at ? ` at ${at.toISOString()}` : ''}; ` +
      'it changes only by a staff correction with a reason (correctGrade) or by an appeal.',
  );

/** a published grade is refused to grading (GRADE_PUBLISHED) */
function assertDraft(sitting: Sitting): void {
  if (isGradePublished(sitting)) throw publishedError(sitting.gradePublishedAt);
}
