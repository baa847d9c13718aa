import { BadUserInputError } from '../../common/errors';
import bands from './grade-scale.json';

export interface GradeBand {
  min: number;
  max: number;
  letter: string;
  gpa: number;
}

/** Kazakhstan's credit-system scale, kept as data in grade-scale.json. */
export const gradeScale: readonly GradeBand[] = bands;

export function bandFor(score: number): GradeBand {
  if (!Number.isInteger(score) || score < 0 || score > 100) {
    throw new BadUserInputError(`A score is a whole number from 0 to 100; ${score} is not.`);
  }
  const band = gradeScale.find((b) => score >= b.min && score <= b.max);
  if (!band) throw new Error(`grade scale has no band for ${score}`);
  return band;
}
