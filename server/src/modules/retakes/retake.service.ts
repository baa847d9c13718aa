import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import {
  NoFxStudentsError,
  ResultsNotPublishedError,
  RetakeExistsError,
  RetakeOfRetakeError,
} from '../../common/errors';
import type { ExamEvents } from '../../common/events';
import { logger } from '../../common/logger';
import { examNotFound } from '../../policy/exam.policy';
import { mayRetake, retakeTimesProblem } from '../../rules';
import { recordEvent, SittingEventKind } from '../audit/audit.service';
import { Exam, ResultsRelease } from '../exams/exam.entity';
import { assertTimesValid } from '../exams/exam-rules';
import type { ExamService } from '../exams/exam.service';
import type { FileStore } from '../files/file-store';
import { StoredFile } from '../files/stored-file.entity';
import { isGradePublished, resultsOut } from '../grades/grade-publication';
import { bandFor } from '../grades/grade-scale';
import { Sitting } from '../sittings/sitting.entity';
import { Ticket } from '../tickets/ticket.entity';
import type { User } from '../users/user.entity';
import type { RetakeInput } from './retake.inputs';

/** The FX students of an exam: all of them, and those a retake created now would enrol (not in one already). */
export interface RetakeCandidates {
  fx: Sitting[];
  toEnrol: Sitting[];
}

/**
 * The sittings of `exam` whose published final grade (after any correction or appeal: the sitting holds the final
 * score) is FX, by name; `toEnrol` leaves out the students already enrolled in a retake of this exam.
 */
export async function retakeCandidates(em: EntityManager, exam: Pick<Exam, 'id'>): Promise<RetakeCandidates> {
  const graded = await em.find(
    Sitting,
    { exam: exam.id, score: { $ne: null } },
    { populate: ['student'], orderBy: { student: { fullName: 'asc' }, id: 'asc' } },
  );
  const fx = graded.filter((s) => isGradePublished(s) && mayRetake(bandFor(s.score!).letter));
  if (!fx.length) return { fx, toEnrol: [] };
  const enrolled = await em.find(
    Sitting,
    { exam: { retakeOf: exam.id }, student: { $in: fx.map((s) => s.student.id) } },
    { fields: ['student'] },
  );
  const already = new Set(enrolled.map((s) => s.student.id));
  return { fx, toEnrol: fx.filter((s) => !already.has(s.student.id)) };
}

/**
 * A retake's fields: the new times and teacher, the rest as the exam's (discipline, period, format, task, platform,
 * auto-send, and how it is graded: `resultsRelease`, `blindMarking`; its results are its own, unpublished).
 */
export function retakeFields(original: Exam, teacher: User, startsAt: Date, endsAt: Date) {
  return {
    retakeOf: original,
    period: original.period,
    discipline: original.discipline,
    teacher,
    startsAt,
    endsAt,
    format: original.format,
    ticketAssignment: original.ticketAssignment,
    taskText: original.taskText,
    platformName: original.platformName,
    platformUrl: original.platformUrl,
    platformLogin: original.platformLogin,
    platformPassword: original.platformPassword,
    autoSendAtEnd: original.autoSendAtEnd,
    resultsRelease: original.resultsRelease,
    blindMarking: original.blindMarking,
  };
}

/** E6: a retake exam for the FX students of an exam, created by staff in one action. */
export class RetakeService {
  constructor(
    private readonly events: ExamEvents,
    private readonly exams: ExamService,
    private readonly store: FileStore,
  ) {}

  /** see `retakeCandidates` */
  candidates(em: EntityManager, exam: Pick<Exam, 'id'>): Promise<RetakeCandidates> {
    return retakeCandidates(em, exam);
  }

  /**
   * Staff create the retake of `examId`: new date and times, the teacher (default: the exam's), everything else as the
   * exam's (discipline, period, format, ticket mode, task, tickets and their files, platform, auto-send); enrolled are
   * the FX students not yet in a retake of it. Each of them gets a RETAKE_SCHEDULED entry in the exam's trail.
   */
  async create(em: EntityManager, actor: User, examId: string, input: RetakeInput, now: Date): Promise<Exam> {
    const copied: string[] = [];
    let enrolled: Sitting[] = [];
    let originalId = examId;
    try {
      const retake = await em.fork().transactional(async (tx) => {
        // the exam's row first: a second createRetake of it waits here (PostgreSQL's row lock; SQLite has one
        // writer), then sees this one's sittings, so no student is enrolled in two retakes of one exam
        if (!(await tx.nativeUpdate(Exam, { id: examId }, { updatedAt: now }))) throw examNotFound();
        const original = await tx.findOneOrFail(Exam, { id: examId }, { populate: ['tickets'] });
        originalId = original.id;
        if (original.retakeOf)
          throw new RetakeOfRetakeError(
            'This exam is itself a retake; an FX at a retake means re-taking the course, not another retake.',
          );
        if (!resultsOut(original, now))
          throw new ResultsNotPublishedError(
            original.resultsRelease === ResultsRelease.AT_ONCE
              ? 'The exam has not ended yet, so its grades are not final; create the retake once it is over.'
              : "The exam's results are not published yet; publish them first, then create the retake for its FX students.",
          );
        assertTimesValid(retakeTimesProblem(original, input.startsAt, input.endsAt, now));
        const teacher = input.teacherId ? await this.exams.teacher(tx, input.teacherId) : original.teacher;
        const { fx, toEnrol } = await this.candidates(tx, original);
        if (!fx.length)
          throw new NoFxStudentsError(
            'No student of this exam has a published FX grade (25–49), so there is no one to retake it.',
          );
        if (!toEnrol.length)
          throw new RetakeExistsError(
            'Every FX student of this exam is already enrolled in a retake of it; open that retake to change it.',
          );
        const retake = tx.create(Exam, retakeFields(original, teacher, input.startsAt, input.endsAt));
        for (const sitting of toEnrol) {
          tx.create(Sitting, { exam: retake, student: sitting.student });
          recordEvent(tx, sitting, SittingEventKind.RETAKE_SCHEDULED, actor, now, input.startsAt.toISOString());
        }
        copied.push(...(await this.copyQuestions(tx, original, retake)));
        enrolled = toEnrol;
        return retake;
      });
      logger.info(
        { examId: originalId, retakeId: retake.id, students: enrolled.length, actorId: actor.id },
        'retake created',
      );
      // the students' pages of the exam and staff's room show the retake they are enrolled in
      this.events.sittingsChanged(
        originalId,
        enrolled.map((s) => ({ examId: originalId, sittingId: s.id, studentId: s.student.id })),
      );
      return em.findOneOrFail(Exam, { id: retake.id }, { populate: ['period.academicYear', 'discipline', 'teacher'] });
    } catch (error) {
      await Promise.all(copied.map((id) => this.store.remove(id)));
      throw error;
    }
  }

  /** the exam's tickets, or its task's files, for the retake: ready to run, and staff may still change them */
  private async copyQuestions(tx: EntityManager, original: Exam, retake: Exam): Promise<string[]> {
    const newTicket = new Map<string, Ticket>();
    for (const ticket of original.tickets) {
      newTicket.set(ticket.id, tx.create(Ticket, { exam: retake, number: ticket.number, questions: ticket.questions }));
    }
    const files = await tx.find(
      StoredFile,
      { $or: [{ taskExam: original.id }, ...(newTicket.size ? [{ ticket: { $in: [...newTicket.keys()] } }] : [])] },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    const copied: string[] = [];
    for (const file of files) {
      const id = randomUUID();
      await this.store.copy(file.id, id);
      copied.push(id);
      tx.create(StoredFile, {
        id,
        name: file.name,
        size: file.size,
        contentType: file.contentType,
        uploadedBy: file.uploadedBy,
        createdAt: file.createdAt,
        ticket: file.ticket ? newTicket.get(file.ticket.id) : null,
        taskExam: file.taskExam ? retake : null,
      });
    }
    return copied;
  }
}
