import type { EntityManager } from '@mikro-orm/core';
import type { Sitting } from '../sittings/sitting.entity';
import type { User } from '../users/user.entity';
import { GradeChangeKind } from '../grades/grade-change.entity';
import { isGradePublished } from '../grades/grade-publication';
import type { GradeService } from '../grades/grade.service';

/** When the student's grade was published (the appeal window runs from it), or null while it is not. */
export function gradePublishedAt(sitting: Pick<Sitting, 'gradePublishedAt' | 'score'>): Date | null {
  return isGradePublished(sitting) ? sitting.gradePublishedAt! : null;
}

/** An appeal's decision changes a published score the one way there is: the grade's history (APPEAL_DECIDED). */
export async function changePublishedScore(
  grades: GradeService,
  em: EntityManager,
  actor: User,
  sitting: Sitting,
  score: number,
  reason: string,
  now: Date,
): Promise<void> {
  await grades.changePublishedGrade(em, actor, sitting, score, reason, GradeChangeKind.APPEAL_DECIDED, now);
}
