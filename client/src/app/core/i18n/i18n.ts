import { computed, DOCUMENT, effect, inject, Injectable, signal } from '@angular/core';
import { ServerClock } from '../graphql/server-clock';
import { kk, type MessageKey, type Messages } from './kk';
import { formatMessage, type MessageParams } from './message-format';
import { type Lang, LANG_STORAGE_KEY, storedLang } from './stored-lang';

export { type Lang, LANG_STORAGE_KEY, LANGS } from './stored-lang';
export type { MessageParams } from './message-format';

/**
 * Kazakh comes with the app; Russian and English (some 55 and 17 KB of script) are fetched when one of them is
 * chosen or remembered (issue 11: the exam page's first load). Loaded once, shared by the page.
 */
const MESSAGES: Partial<Record<Lang, Messages>> = { kk };
const LOADERS: Record<Exclude<Lang, 'kk'>, () => Promise<Messages>> = {
  ru: () => import('./ru').then((m) => m.ru),
  en: () => import('./en').then((m) => m.en),
};

/** Fetches a language's messages unless they are here; the app waits for the remembered one before it starts. */
export async function loadMessages(lang: Lang = storedLang()): Promise<void> {
  if (lang !== 'kk' && !MESSAGES[lang]) MESSAGES[lang] = await LOADERS[lang]();
}

/** Intl locales: Kazakh and Russian as written in Kazakhstan, English in its European form (24-hour time). */
const LOCALES: Record<Lang, string> = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' };
/**
 * The date beside a time, as each language writes it without doubt: 02.12.2026 in Kazakh and Russian (CLDR's short
 * form), "2 Dec 2026" in English, whose 02/12/2026 reads as the 12th of February to half its readers.
 */
const DATE_BESIDE_TIME: Record<Lang, 'short' | 'medium'> = { kk: 'short', ru: 'short', en: 'medium' };

const KK_MONTHS = [
  'қаңтар',
  'ақпан',
  'наурыз',
  'сәуір',
  'мамыр',
  'маусым',
  'шілде',
  'тамыз',
  'қыркүйек',
  'қазан',
  'қараша',
  'желтоқсан',
];

/**
 * Some browsers ship ICU without Kazakh data (Debian's Chromium prints "2026 M11 29"); there the
 * Kazakh forms (CLDR: "2026 ж. 29 қараша", "29.11.2026, 15:24:05", "12 345,5") are built here.
 */
function hasKazakhData(): boolean {
  try {
    return new Intl.DateTimeFormat('kk', { month: 'long', timeZone: 'UTC' }).format(Date.UTC(2026, 0, 15)) === 'қаңтар';
  } catch {
    return false;
  }
}

interface Parts {
  readonly year: string;
  readonly month: string;
  readonly day: string;
  readonly hour: string;
  readonly minute: string;
  readonly second: string;
}

/** A small signal-based translation service: runtime switching, remembered in localStorage, Kazakh by default. */
@Injectable({ providedIn: 'root' })
export class I18n {
  private readonly clock = inject(ServerClock);
  private readonly formats = new Map<string, Intl.DateTimeFormat>();
  private readonly kazakhData = hasKazakhData();

  /** a language whose messages are here (the remembered one once loadMessages() has fetched it) */
  readonly lang = signal<Lang>(MESSAGES[storedLang()] ? storedLang() : 'kk');
  readonly locale = computed(() => LOCALES[this.lang()]);
  private wanted: Lang = this.lang();

  constructor() {
    const document = inject(DOCUMENT);
    effect(() => {
      document.documentElement.lang = this.lang();
      document.title = this.t('app.title');
    });
  }

  /** At once when the language's messages are here; otherwise as soon as they arrive (unchanged if they cannot). */
  async setLang(lang: Lang): Promise<void> {
    this.wanted = lang;
    try {
      localStorage.setItem(LANG_STORAGE_KEY, lang);
    } catch {
      // private mode: the choice lasts for this page only
    }
    if (!MESSAGES[lang]) {
      try {
        await loadMessages(lang);
      } catch {
        return; // offline: the page stays in the language it shows
      }
    }
    if (this.wanted === lang) this.lang.set(lang);
  }

  /** The message in the current language; `{name}` placeholders and `{n, plural, …}` forms are filled from params. */
  t(key: MessageKey, params?: MessageParams): string {
    const text = (MESSAGES[this.lang()] ?? kk)[key];
    if (!params) return text;
    return formatMessage(text, params, this.pluralRules(), (n) => this.number(n));
  }

  /** 29 November 2026, in the university's zone and the chosen locale */
  date(at: string | number): string {
    if (this.builtKazakh()) {
      const p = this.parts(at);
      return `${p.year} ж. ${Number(p.day)} ${KK_MONTHS[Number(p.month) - 1]}`;
    }
    return this.format({ dateStyle: 'long' }).format(new Date(at));
  }

  /** 15:24 */
  time(at: string | number): string {
    if (this.builtKazakh()) {
      const p = this.parts(at);
      return `${p.hour}:${p.minute}`;
    }
    return this.format({ timeStyle: 'short' }).format(new Date(at));
  }

  /** 29.11.2026, 15:24:05 (kk, ru); 29 Nov 2026, 15:24:05 (en) */
  dateTime(at: string | number): string {
    if (this.builtKazakh()) {
      const p = this.parts(at);
      return `${p.day}.${p.month}.${p.year}, ${p.hour}:${p.minute}:${p.second}`;
    }
    return this.format({ dateStyle: DATE_BESIDE_TIME[this.lang()], timeStyle: 'medium' }).format(new Date(at));
  }

  number(value: number, options?: Intl.NumberFormatOptions): string {
    // Kazakh groups and marks decimals as Russian does (12 345,5)
    return new Intl.NumberFormat(this.builtKazakh() ? 'ru-RU' : this.locale(), options).format(value);
  }

  /** "Asia/Almaty (GMT+5)": the zone named, so nobody reads the times as their device's. */
  zoneLabel(at: number = this.clock.now()): string {
    const zone = this.clock.timeZone();
    const offset = this.format({ timeZoneName: 'shortOffset' }, 'en-GB')
      .formatToParts(new Date(at))
      .find((p) => p.type === 'timeZoneName')?.value;
    return offset ? `${zone} (${offset})` : zone;
  }

  fileSize(bytes: number): string {
    if (bytes < 1024) return this.t('size.bytes', { n: this.number(bytes) });
    if (bytes < 1024 * 1024) return this.t('size.kb', { n: this.number(bytes / 1024, { maximumFractionDigits: 1 }) });
    return this.t('size.mb', { n: this.number(bytes / 1024 / 1024, { maximumFractionDigits: 1 }) });
  }

  private readonly plurals = new Map<string, Intl.PluralRules>();

  private pluralRules(): Intl.PluralRules {
    const locale = this.locale();
    let rules = this.plurals.get(locale);
    if (!rules) {
      rules = new Intl.PluralRules(locale);
      this.plurals.set(locale, rules);
    }
    return rules;
  }

  private builtKazakh(): boolean {
    return this.lang() === 'kk' && !this.kazakhData;
  }

  /** the wall-clock fields of an instant in the university's zone */
  private parts(at: string | number): Parts {
    const format = this.format(
      {
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      },
      'en-GB',
    );
    const fields = Object.fromEntries(format.formatToParts(new Date(at)).map((p) => [p.type, p.value]));
    return fields as unknown as Parts;
  }

  private format(options: Intl.DateTimeFormatOptions, locale = this.locale()): Intl.DateTimeFormat {
    const timeZone = this.clock.timeZone();
    const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
    let format = this.formats.get(key);
    if (!format) {
      format = new Intl.DateTimeFormat(locale, { ...options, timeZone });
      this.formats.set(key, format);
    }
    return format;
  }
}
