/** R7.4, R7.5: what an answer must hold before it may be saved or sent. */

/** At least this many characters, surrounding spaces not counted (or a file). */
export const MIN_ANSWER_CHARS = 10;

/**
 * Characters as a reader counts them: code points, surrounding spaces left out. Counted without building an array
 * of the characters: the web app counts on every key, and answers run to 100,000 characters.
 */
export function answerLength(text: string): number {
  const trimmed = text.trim();
  let pairs = 0;
  for (let i = 0; i < trimmed.length - 1; i++) {
    const code = trimmed.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = trimmed.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        pairs++;
        i++;
      }
    }
  }
  return trimmed.length - pairs;
}

/** At least MIN_ANSWER_CHARS characters or at least one file. */
export function isSubstantialAnswer(text: string, fileCount: number): boolean {
  return answerLength(text) >= MIN_ANSWER_CHARS || fileCount > 0;
}
