import type { EntityManager } from '@mikro-orm/core';
import type { Sitting } from '../sittings/sitting.entity';
import type { User } from '../users/user.entity';
import type { GradeService } from '../grades/grade.service';
import { bandFor } from '../grades/grade-scale';

// TEMPORARY until the publish branch lands: when the grade reached the student, and the one path to change it.
export function gradePublishedAt(sitting: Sitting): Date | null {
  return sitting.score != null ? (sitting.gradedAt ?? null) : null;
}

export async function changePublishedScore(
  _grades: GradeService,
  _em: EntityManager,
  _actor: User,
  sitting: Sitting,
  score: number,
  _reason: string,
  _now: Date,
): Promise<void> {
  const band = bandFor(score);
  Object.assign(sitting, { score, letter: band.letter, gpa: band.gpa });
}
