import type { EntityManager } from '@mikro-orm/core';
import type { Config } from '../../config';
import {
  AppealExistsError,
  AppealStateError,
  AppealWindowClosedError,
  BadUserInputError,
  GradeNotPublishedError,
  isUniqueViolation,
  NotFoundError,
  NotOnCommissionError,
} from '../../common/errors';
import type { ExamEvents } from '../../common/events';
import { logger } from '../../common/logger';
import { canDecideAppeal, canSeeAppeal, type AppealFacts } from '../../policy/appeal.policy';
import { MAX_GRADE_REASON_CHARS } from '../../rules';
import { appealWindowOpen } from '../../rules/working-days';
import { recordEvent, SittingEventKind } from '../audit/audit.service';
import type { WorkingDayCalendar } from '../calendar/working-days.service';
import { bandFor } from '../grades/grade-scale';
import type { GradeService } from '../grades/grade.service';
import { Sitting } from '../sittings/sitting.entity';
import { Role, User } from '../users/user.entity';
import { Appeal, AppealDecision, AppealStatus } from './appeal.entity';
import { GradeChangeKind } from '../grades/grade-change.entity';
import { gradePublishedAt } from '../grades/grade-publication';

/** the teachers a commission may hold at most (a list longer than this is a mistake, not a commission) */
const COMMISSION_MAX = 15;

/** the appeal with what its rules read: the sitting, its exam, the commission */
const POPULATE = ['sitting.exam', 'commission'] as const;

/**
 * Appeals (апелляция): a student files one against the published grade of their sitting inside the window (the end of
 * the APPEAL_WORKING_DAYS-th working day after publication); staff form a commission of teachers; a member (or staff)
 * decides — the score kept, or changed through the grade history — with a reason the student reads.
 */
export class AppealService {
  constructor(
    private readonly config: Pick<Config, 'maxAppealChars'>,
    private readonly events: ExamEvents,
    private readonly calendar: WorkingDayCalendar,
    private readonly grades: GradeService,
  ) {}

  static facts(appeal: Appeal): AppealFacts {
    return {
      studentId: appeal.sitting.student.id,
      exam: appeal.sitting.exam,
      commissionIds: appeal.commission.isInitialized() ? appeal.commission.getIdentifiers<string>() : [],
    };
  }

  /** When the student's window to appeal a sitting's grade ends; null while the grade is not published. */
  async deadlineOf(em: EntityManager, sitting: Sitting): Promise<Date | null> {
    const published = gradePublishedAt(sitting);
    return published ? this.calendar.appealDeadline(em, published) : null;
  }

  /** The sitting's student files the appeal: a published grade, inside the window, once. */
  async file(em: EntityManager, student: User, sittingId: string, text: string, now: Date): Promise<Appeal> {
    const sitting = await em.findOne(Sitting, { id: sittingId }, { populate: ['exam'] });
    // someone else's sitting is simply not there for this student
    if (!sitting || sitting.student.id !== student.id)
      throw new NotFoundError('There is no such sitting among your exams.');
    const reasons = text.trim();
    if (reasons.length < 10 || reasons.length > this.config.maxAppealChars) {
      throw new BadUserInputError(
        `Say what you disagree with in 10 to ${this.config.maxAppealChars} characters (you wrote ${reasons.length}).`,
      );
    }
    const deadline = await this.deadlineOf(em, sitting);
    if (!deadline)
      throw new GradeNotPublishedError('Your grade for this exam has not been published yet; appeal once it is.');
    if (!appealWindowOpen(deadline, now)) {
      throw new AppealWindowClosedError(
        `The appeal window closed at ${deadline.toISOString()} (the end of the working day after the results were published).`,
        deadline,
      );
    }
    if (await em.count(Appeal, { sitting: sitting.id }))
      throw new AppealExistsError('You have already appealed this grade; a sitting takes one appeal.');
    const appeal = em.create(Appeal, { sitting, text: reasons, filedAt: now, status: AppealStatus.FILED });
    recordEvent(em, sitting, SittingEventKind.APPEAL_FILED, student, now);
    try {
      await em.flush();
    } catch (error) {
      // two requests at once: the unique sitting column lets one through
      if (isUniqueViolation(error))
        throw new AppealExistsError('You have already appealed this grade; a sitting takes one appeal.');
      throw error;
    }
    logger.info({ appealId: appeal.id, sittingId: sitting.id }, 'appeal filed');
    this.changed(appeal);
    return appeal;
  }

  /** Staff form (or re-form, before the decision) the commission: one or more teachers, any of them. */
  async setCommission(
    em: EntityManager,
    actor: User,
    appealId: string,
    teacherIds: readonly string[],
    now: Date,
  ): Promise<Appeal> {
    const appeal = await this.find(em, appealId);
    if (appeal.status === AppealStatus.DECIDED)
      throw new AppealStateError('This appeal has been decided; its commission can no longer change.');
    const ids = [...new Set(teacherIds)];
    if (ids.length === 0 || ids.length > COMMISSION_MAX)
      throw new BadUserInputError(`Choose 1 to ${COMMISSION_MAX} teachers for the commission.`);
    const teachers = await em.find(User, { id: { $in: ids }, role: Role.TEACHER }, { orderBy: { fullName: 'asc' } });
    if (teachers.length !== ids.length)
      throw new BadUserInputError('Every member of the commission must be a teacher; check the list.');
    appeal.commission.set(teachers);
    appeal.commissionSetAt = now;
    appeal.status = AppealStatus.UNDER_REVIEW;
    recordEvent(
      em,
      appeal.sitting,
      SittingEventKind.APPEAL_COMMISSION_SET,
      actor,
      now,
      teachers
        .map((t) => t.fullName)
        .join(', ')
        .slice(0, 500),
    );
    await em.flush();
    this.changed(appeal);
    return appeal;
  }

  /**
   * A commission member (or staff) decides: KEPT leaves the score, CHANGED sets `score` through the grade history
   * (GradeChange APPEAL_DECIDED). A reason is required; an appeal is decided once.
   */
  async decide(
    em: EntityManager,
    actor: User,
    appealId: string,
    decision: AppealDecision,
    score: number | null | undefined,
    reason: string,
    now: Date,
  ): Promise<Appeal> {
    const appeal = await this.find(em, appealId);
    if (!canSeeAppeal(actor, AppealService.facts(appeal))) throw appealNotFound();
    if (!canDecideAppeal(actor, AppealService.facts(appeal)))
      throw new NotOnCommissionError("Only the appeal's commission (or staff) may decide it.");
    if (appeal.status === AppealStatus.DECIDED)
      throw new AppealStateError('This appeal has been decided already; the decision stands.');
    if (appeal.status !== AppealStatus.UNDER_REVIEW)
      throw new AppealStateError('Staff have not formed the commission yet; the appeal is decided by it.');
    const why = reason.trim();
    if (!why) throw new BadUserInputError('Give the reason for the decision; the student reads it.');
    if (why.length > MAX_GRADE_REASON_CHARS)
      throw new BadUserInputError(`The reason is at most ${MAX_GRADE_REASON_CHARS} characters.`);
    const sitting = appeal.sitting;
    const previous = sitting.score ?? null;
    if (previous === null) throw new GradeNotPublishedError('This sitting has no grade to keep or change.');
    let next = previous;
    if (decision === AppealDecision.CHANGED) {
      if (score == null) throw new BadUserInputError('Give the new score (0–100) when the decision changes it.');
      bandFor(score); // 0..100, whole
      if (score === previous)
        throw new BadUserInputError(`The score is ${previous} already; record the decision as KEPT instead.`);
      next = score;
    }
    await em.transactional(async (tx) => {
      // two members deciding at once: the first one's update wins, the second is told it is decided
      const updated = await tx.nativeUpdate(
        Appeal,
        { id: appeal.id, status: AppealStatus.UNDER_REVIEW },
        { status: AppealStatus.DECIDED, decidedAt: now },
      );
      if (updated !== 1) throw new AppealStateError('This appeal has been decided already; the decision stands.');
      if (decision === AppealDecision.CHANGED)
        await this.grades.changePublishedGrade(tx, actor, sitting, next, why, GradeChangeKind.APPEAL_DECIDED, now);
      Object.assign(appeal, {
        status: AppealStatus.DECIDED,
        decision,
        previousScore: previous,
        newScore: next,
        reason: why,
        decidedAt: now,
        decidedBy: tx.getReference(User, actor.id),
      });
      const detail = decision === AppealDecision.CHANGED ? `${previous} → ${next}` : `${previous} kept`;
      recordEvent(tx, sitting, SittingEventKind.APPEAL_DECIDED, actor, now, detail);
    });
    logger.info({ appealId: appeal.id, decision }, 'appeal decided');
    this.changed(appeal);
    return appeal;
  }

  /** The appeal's student may attach files while the window is open and the appeal is not decided. */
  async assertFilesOpen(em: EntityManager, appeal: Appeal, student: User, now: Date): Promise<void> {
    if (appeal.sitting.student.id !== student.id) throw appealNotFound();
    if (appeal.status === AppealStatus.DECIDED)
      throw new AppealStateError('This appeal has been decided; no more files can be attached.');
    const deadline = await this.deadlineOf(em, appeal.sitting);
    if (!deadline || !appealWindowOpen(deadline, now))
      throw new AppealWindowClosedError(
        'The appeal window has closed; files can no longer be attached.',
        deadline ?? now,
      );
  }

  /** the student attached files: the same pushes as a step (their page, staff, the commission) */
  filesAdded(appeal: Appeal): void {
    this.changed(appeal);
  }

  /** an appeal with its sitting, exam and commission, or NOT_FOUND */
  async find(em: EntityManager, appealId: string): Promise<Appeal> {
    const appeal = await em.findOne(Appeal, { id: appealId }, { populate: POPULATE });
    if (!appeal) throw appealNotFound();
    return appeal;
  }

  /** after commit: the student's page (mySittingChanged), staff's room, and the appeals streams of staff and the commission */
  private changed(appeal: Appeal): void {
    const { sitting } = appeal;
    this.events.sittingChanged({ examId: sitting.exam.id, sittingId: sitting.id, studentId: sitting.student.id });
    const members = appeal.commission.isInitialized() ? appeal.commission.getIdentifiers<string>() : [];
    this.events.appealChanged({
      examId: sitting.exam.id,
      appealId: appeal.id,
      commissionIds: members,
    });
  }
}

export const appealNotFound = () => new NotFoundError('There is no such appeal, or it is not open to you.');
