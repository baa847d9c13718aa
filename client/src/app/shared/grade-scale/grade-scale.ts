// One source for the scale: the server's own table, bundled into the app at build time (the server grades, this only previews).
import bands from '../../../../../server/src/modules/grades/grade-scale.json';

export interface GradeBand {
  readonly min: number;
  readonly max: number;
  readonly letter: string;
  readonly gpa: number;
}

/** Kazakhstan's credit-system scale (R7.7): 0–100 points to a letter and GPA points. */
export const GRADE_SCALE: readonly GradeBand[] = bands;

/** The whole number 0–100 a teacher typed, or null while it is not one. */
export function parseScore(typed: string | number | null | undefined): number | null {
  const text = String(typed ?? '').trim();
  if (!/^\d{1,3}$/.test(text)) return null;
  const score = Number(text);
  return score <= 100 ? score : null;
}

/** The band a score falls in, as the server will give it; null for anything that is not a score. */
export function gradeFor(score: number | null): GradeBand | null {
  if (score == null || !Number.isInteger(score) || score < 0 || score > 100) return null;
  return GRADE_SCALE.find((band) => score >= band.min && score <= band.max) ?? null;
}
