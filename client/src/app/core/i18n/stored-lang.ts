export const LANGS = ['kk', 'ru', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const LANG_STORAGE_KEY = 'attestation.lang';

/** The language chosen on this device before (Kazakh when none): read without loading any messages. */
export function storedLang(): Lang {
  try {
    const value = localStorage.getItem(LANG_STORAGE_KEY);
    return (LANGS as readonly string[]).includes(value ?? '') ? (value as Lang) : 'kk';
  } catch {
    return 'kk';
  }
}
