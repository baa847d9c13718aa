/** R7.4, R7.5: what an answer must hold before it may be saved or sent. */

/** At least this many characters, surrounding spaces not counted (or a file). */
export const MIN_ANSWER_CHARS = 10;

/** Characters as a reader counts them: code points, surrounding spaces left out. */
export function answerLength(text: string): number {
  return [...text.trim()].length;
}

/** At least MIN_ANSWER_CHARS characters or at least one file. */
export function isSubstantialAnswer(text: string, fileCount: number): boolean {
  return answerLength(text) >= MIN_ANSWER_CHARS || fileCount > 0;
}
