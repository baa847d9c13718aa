import type { EntityManager } from '@mikro-orm/core';
import { Appeal, AppealDecision, AppealStatus } from '../modules/appeals/appeal.entity';
import { gradePublishedAt } from '../modules/grades/grade-publication';
import { recordEvent, SittingEventKind } from '../modules/audit/audit.service';
import { Discipline } from '../modules/calendar/calendar.entity';
import { bandFor } from '../modules/grades/grade-scale';
import { GradeChangeKind } from '../modules/grades/grade-change.entity';
import { recordGradeChange } from '../modules/grades/grade-history';
import { Sitting } from '../modules/sittings/sitting.entity';
import { User } from '../modules/users/user.entity';

const HOUR = 3_600_000;

/**
 * issue 12: in the demo's published exam (HIS-101), one appeal before its commission (teacher2 may decide it) and one
 * decided (the score changed, with the reason, the grade's history and the trail). Called at the end of seedDemo.
 */
export async function seedDemoAppeals(em: EntityManager): Promise<void> {
  const history = await em.findOne(Discipline, { code: 'HIS-101' });
  if (!history) return;
  const sittings = await em.find(
    Sitting,
    { exam: { discipline: history.id }, score: { $ne: null } },
    { populate: ['exam', 'student'], orderBy: { student: { login: 'asc' } } },
  );
  const published = new Map(sittings.filter((s) => gradePublishedAt(s)).map((s) => [s.student.login, s]));
  const pending = published.get('student08');
  const decided = published.get('student10');
  if (!pending || !decided) return;
  const [staff, teacher2] = await Promise.all([
    em.findOneOrFail(User, { login: 'staff' }),
    em.findOneOrFail(User, { login: 'teacher2' }),
  ]);

  // student08 (61, C-): filed the evening after publication, the commission formed, not yet decided
  const pendingFiled = new Date(gradePublishedAt(pending)!.getTime() + 16 * HOUR);
  const underReview = em.create(Appeal, {
    sitting: pending,
    text: 'Менің эссемде 1993 жылғы Конституция туралы бөлім толық жазылған, бірақ ол бағаланбаған сияқты.',
    status: AppealStatus.UNDER_REVIEW,
    filedAt: pendingFiled,
    commissionSetAt: new Date(pendingFiled.getTime() + 2 * HOUR),
  });
  underReview.commission.add(teacher2);
  recordEvent(em, pending, SittingEventKind.APPEAL_FILED, pending.student, pendingFiled);
  recordEvent(
    em,
    pending,
    SittingEventKind.APPEAL_COMMISSION_SET,
    staff,
    underReview.commissionSetAt!,
    teacher2.fullName,
  );

  // student10 (40, FX): the commission raised the score to 55, in the grade's history as an appeal's decision
  const filedAt = new Date(gradePublishedAt(decided)!.getTime() + 3 * HOUR);
  const previous = decided.score!;
  const next = 55;
  const done = em.create(Appeal, {
    sitting: decided,
    text: 'Эссенің екінші бөлімі (1994–1995 жылдар) қате бағаланды деп ойлаймын.',
    status: AppealStatus.DECIDED,
    filedAt,
    commissionSetAt: new Date(filedAt.getTime() + HOUR),
    decision: AppealDecision.CHANGED,
    previousScore: previous,
    newScore: next,
    reason: 'Екінші бөлімдегі дереккөздерге сілтемелер дұрыс; балл 55-ке көтерілді.',
    decidedAt: new Date(filedAt.getTime() + 5 * HOUR),
    decidedBy: teacher2,
  });
  done.commission.add(teacher2);
  const band = bandFor(next);
  Object.assign(decided, { score: next, letter: band.letter, gpa: band.gpa });
  recordGradeChange(em, {
    sitting: decided,
    kind: GradeChangeKind.APPEAL_DECIDED,
    previousScore: previous,
    reason: done.reason,
    actor: teacher2,
    at: done.decidedAt!,
  });
  recordEvent(em, decided, SittingEventKind.APPEAL_FILED, decided.student, filedAt);
  recordEvent(em, decided, SittingEventKind.APPEAL_COMMISSION_SET, staff, done.commissionSetAt!, teacher2.fullName);
  recordEvent(
    em,
    decided,
    SittingEventKind.GRADE_CHANGED_ON_APPEAL,
    teacher2,
    done.decidedAt!,
    `${previous} → ${next} (${band.letter})`,
  );
  recordEvent(em, decided, SittingEventKind.APPEAL_DECIDED, teacher2, done.decidedAt!, `${previous} → ${next}`);
  await em.flush();
}
