import type { EntityManager } from '@mikro-orm/core';
import { BadUserInputError, BlindNeedsPublicationError, NotFoundError } from '../../common/errors';
import type { Config } from '../../config';
import type { ExamEvents } from '../../common/events';
import { blindMarkingFits, examTimesProblem, MAX_TASK_CHARS, type GradingSettings } from '../../rules';
import { blindMarkingMayChange } from '../blind/blind-rules';
import { Discipline, Period } from '../calendar/calendar.entity';
import { Sitting } from '../sittings/sitting.entity';
import { Role, User } from '../users/user.entity';
import { Exam, ExamFormat, ResultsRelease, TicketAssignment } from './exam.entity';
import type { ExamInput, PlatformInput } from './exam.inputs';

/** Blind marking hides names until the results are published, which an AT_ONCE exam never is as a whole. */
function assertBlindMarkingFits(settings: GradingSettings): void {
  if (!blindMarkingFits(settings))
    throw new BlindNeedsPublicationError(
      'Blind marking hides the names until the results are published, but with resultsRelease AT_ONCE each grade reaches its student as soon as it is saved. Choose ON_PUBLICATION (results published together) or turn blind marking off.',
    );
}

/** Only web addresses may become links on a student's page (no javascript: and the like). */
function assertWebAddress(url: string, what: string): string {
  const trimmed = url.trim();
  if (trimmed.length > 2000)
    throw new BadUserInputError(`The ${what} link is longer than 2000 characters; use a shorter address.`);
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    throw new BadUserInputError(`The ${what} link must be a full web address starting with https://.`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new BadUserInputError(`The ${what} link must start with https:// or http://.`);
  }
  return trimmed;
}

export class ExamService {
  constructor(
    private readonly events: ExamEvents,
    private readonly config: Pick<Config, 'autoSendAtEnd'>,
  ) {}

  async create(em: EntityManager, input: ExamInput): Promise<Exam> {
    const fields = await this.resolveInput(em, input);
    // issue 12: results are announced together by default, and the appeal clock starts then (README "After the exam")
    const grading = {
      resultsRelease: input.resultsRelease ?? ResultsRelease.ON_PUBLICATION,
      blindMarking: input.blindMarking ?? false,
    };
    assertBlindMarkingFits(grading);
    const exam = em.create(Exam, {
      ...fields,
      autoSendAtEnd: input.autoSendAtEnd ?? this.config.autoSendAtEnd,
      ...grading,
    });
    await this.syncStudents(em, exam, input.studentIds, true);
    await em.flush();
    return exam;
  }

  async update(em: EntityManager, exam: Exam, input: ExamInput): Promise<Exam> {
    const fields = await this.resolveInput(em, input);
    assertBlindMarkingFits({
      resultsRelease: input.resultsRelease ?? exam.resultsRelease,
      blindMarking: input.blindMarking ?? exam.blindMarking,
    });
    if (fields.format !== exam.format && (await em.count(Sitting, { exam: exam.id, ticket: { $ne: null } }))) {
      throw new BadUserInputError('Students already hold tickets at this exam, so its format can no longer change.');
    }
    if (
      input.resultsRelease != null &&
      input.resultsRelease !== exam.resultsRelease &&
      (exam.resultsPublishedAt || (await em.count(Sitting, { exam: exam.id, gradePublishedAt: { $ne: null } })))
    ) {
      throw new BadUserInputError(
        'Grades of this exam are already published to students, so when results are released can no longer change.',
      );
    }
    em.assign(exam, fields);
    if (input.autoSendAtEnd != null) exam.autoSendAtEnd = input.autoSendAtEnd;
    if (input.resultsRelease != null) exam.resultsRelease = input.resultsRelease;
    if (input.blindMarking != null && input.blindMarking !== exam.blindMarking) {
      if (!blindMarkingMayChange(exam))
        throw new BadUserInputError(
          "This exam's results are published, so blind marking can no longer be turned on or off: the teacher sees the names now.",
        );
      exam.blindMarking = input.blindMarking;
    }
    await this.syncStudents(em, exam, input.studentIds, false);
    await em.flush();
    await this.announce(em, exam);
    this.events.ticketBoardChanged(exam.id);
    return exam;
  }

  /** every sitting of the exam changed with it: tell staff's room and each student's page */
  private async announce(em: EntityManager, exam: Exam) {
    const sittings = await em.find(Sitting, { exam: exam.id });
    this.events.sittingsChanged(
      exam.id,
      sittings.map((s) => ({ examId: exam.id, sittingId: s.id, studentId: s.student.id })),
    );
  }

  private async resolveInput(em: EntityManager, input: ExamInput) {
    const [period, discipline, teacher] = await Promise.all([
      em.findOne(Period, { id: input.periodId }),
      em.findOne(Discipline, { id: input.disciplineId }),
      em.findOne(User, { id: input.teacherId }),
    ]);
    if (!period) throw new NotFoundError('The academic period was not found; pick one from the list.');
    if (!discipline) throw new NotFoundError('The discipline was not found; pick one from the list.');
    if (!teacher || teacher.role !== Role.TEACHER)
      throw new BadUserInputError('The teacher must be a user with the TEACHER role.');
    const timesProblem = examTimesProblem(input.startsAt, input.endsAt);
    if (timesProblem === 'END_NOT_AFTER_START')
      throw new BadUserInputError('The end time must be after the start time.');
    if (timesProblem === 'TOO_LONG')
      throw new BadUserInputError('An exam cannot last longer than a week; check the dates.');
    const tickets = input.format === ExamFormat.TICKETS;
    if (!tickets && input.ticketAssignment)
      throw new BadUserInputError('A task exam has no tickets, so leave ticketAssignment empty.');
    if (input.taskText && input.taskText.length > MAX_TASK_CHARS)
      throw new BadUserInputError(`The task text is longer than ${MAX_TASK_CHARS} characters; attach it as a file.`);
    return {
      period,
      discipline,
      teacher,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      format: input.format,
      ticketAssignment: tickets ? (input.ticketAssignment ?? TicketAssignment.STUDENT_CHOICE) : null,
      taskText: tickets ? null : (input.taskText ?? null),
    };
  }

  /** Enrolment: a sitting per student; a student with activity cannot be dropped. */
  private async syncStudents(em: EntityManager, exam: Exam, studentIds: string[], isNew: boolean) {
    const wanted = [...new Set(studentIds)];
    const students = wanted.length ? await em.find(User, { id: { $in: wanted } }) : [];
    if (students.length !== wanted.length || students.some((s) => s.role !== Role.STUDENT)) {
      throw new BadUserInputError('Every enrolled person must be an existing user with the STUDENT role.');
    }
    const current = isNew ? [] : await em.find(Sitting, { exam: exam.id }, { populate: ['answer'] });
    const have = new Set(current.map((s) => s.student.id));
    for (const student of students) if (!have.has(student.id)) em.create(Sitting, { exam, student });
    const keep = new Set(wanted);
    for (const sitting of current) {
      if (keep.has(sitting.student.id)) continue;
      if (sitting.enteredAt || sitting.ticket || sitting.answer || sitting.score != null) {
        throw new BadUserInputError('A student who has already entered the exam cannot be removed from it.');
      }
      em.remove(sitting);
    }
  }

  async setPlatform(em: EntityManager, exam: Exam, platform: PlatformInput | null | undefined): Promise<Exam> {
    if (platform && !platform.name.trim())
      throw new BadUserInputError('Name the platform, e.g. Zoom or Microsoft Teams.');
    if (
      platform &&
      [platform.name.trim(), platform.login?.trim() ?? '', platform.password ?? ''].some((v) => v.length > 200)
    ) {
      throw new BadUserInputError("The platform's name, login and password are at most 200 characters each.");
    }
    em.assign(exam, {
      platformName: platform?.name.trim() ?? null,
      platformUrl: platform ? assertWebAddress(platform.url, 'platform') : null,
      platformLogin: platform?.login?.trim() || null,
      platformPassword: platform?.password || null,
    });
    await em.flush();
    await this.announce(em, exam);
    return exam;
  }

  async setRecording(
    em: EntityManager,
    exam: Exam,
    url: string | null | undefined,
    visibleToStudents: boolean,
  ): Promise<Exam> {
    em.assign(exam, {
      recordingUrl: url ? assertWebAddress(url, 'recording') : null,
      recordingVisible: url ? visibleToStudents : false,
    });
    await em.flush();
    await this.announce(em, exam);
    return exam;
  }
}
