/**
 * Search text as it is stored and compared: folded in JavaScript at write time, so SQLite (whose LOWER() folds ASCII
 * only) and PostgreSQL find «Әлия», «әлия» and «ӘЛИЯ» alike. Lower case by Unicode (Cyrillic and the Kazakh letters
 * Ә Ғ Қ Ң Ө Ұ Ү Һ І included), compatibility forms unified (NFKC), ё read as е, runs of white space as one space.
 */
export function foldForSearch(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();
}

/** Parts of a row's search key (name, login, …), joined by a line break that no folded query contains. */
export function searchKeyOf(...parts: (string | null | undefined)[]): string {
  return parts
    .filter((part): part is string => !!part)
    .map(foldForSearch)
    .join('\n');
}

/** `LIKE` pattern of a folded query, its `%`, `_` and `!` escaped with `!` (the statement says `escape '!'`). */
export function containsPattern(query: string): string {
  return `%${foldForSearch(query).replace(/[!%_]/g, (c) => `!${c}`)}%`;
}
