import type { EntityManager } from '@mikro-orm/core';
import type { PlainStatements } from '../../common/plain-sql';
import { Sitting } from '../sittings/sitting.entity';
import { User } from '../users/user.entity';
import { GradeChange, GradeChangeKind } from './grade-change.entity';

/** What one entry of a published grade's history says besides the grade itself (read from the sitting). */
export interface GradeChangeFacts {
  sitting: Sitting;
  kind: GradeChangeKind;
  previousScore?: number | null;
  reason?: string | null;
  actor: Pick<User, 'id'> | null;
  at: Date;
}

/**
 * issue 12: appends an entry to the sitting's grade history with the sitting's current score, letter and GPA; the row
 * is flushed with the change it records. The only writer of `grade_changes` besides `insertPublications`.
 */
export function recordGradeChange(em: EntityManager, facts: GradeChangeFacts): GradeChange {
  const { sitting } = facts;
  if (sitting.score == null || sitting.letter == null || sitting.gpa == null)
    throw new Error(`sitting ${sitting.id} has no grade to record`);
  // by reference: the caller's user may be the request's plain one (auth.service.ts)
  return em.create(GradeChange, {
    sitting,
    kind: facts.kind,
    score: sitting.score,
    letter: sitting.letter,
    gpa: sitting.gpa,
    previousScore: facts.previousScore ?? null,
    reason: facts.reason ?? null,
    actor: facts.actor && em.getReference(User, facts.actor.id),
    at: facts.at,
  });
}

/** one published grade, as `insertPublications` writes it */
export interface PublishedGrade {
  sittingId: string;
  score: number;
  letter: string;
  gpa: number;
}

/** rows in one plain multi-row INSERT (7 bound parameters a row) */
const ROWS_A_STATEMENT = 500;

/**
 * PUBLISHED entries for many sittings at once (an exam's publication), inside its plain-SQL transaction (`tx`), with
 * multi-row INSERTs and no entities; `at` as the database stores it (PlainSql.time).
 */
export async function insertPublications(
  tx: PlainStatements,
  grades: readonly PublishedGrade[],
  actorId: string | null,
  at: unknown,
): Promise<void> {
  for (let i = 0; i < grades.length; i += ROWS_A_STATEMENT) {
    const chunk = grades.slice(i, i + ROWS_A_STATEMENT);
    await tx.run(
      `insert into grade_changes (sitting_id, kind, score, letter, gpa, actor_id, at) values ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      chunk.flatMap((g) => [g.sittingId, GradeChangeKind.PUBLISHED, g.score, g.letter, g.gpa, actorId, at]),
    );
  }
}
