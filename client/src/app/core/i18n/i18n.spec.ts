import { TestBed } from '@angular/core/testing';
import { ServerClock } from '../graphql/server-clock';
import { en } from './en';
import { I18n, LANG_STORAGE_KEY } from './i18n';
import { kk } from './kk';
import { ru } from './ru';

describe('I18n', () => {
  beforeEach(() => localStorage.removeItem(LANG_STORAGE_KEY));
  afterEach(() => localStorage.removeItem(LANG_STORAGE_KEY));

  it('is Kazakh by default, switches at once and remembers the choice', () => {
    const i18n = TestBed.inject(I18n);
    expect(i18n.lang()).toBe('kk');
    expect(i18n.t('answers.send')).toBe('Жауапты жіберу');
    i18n.setLang('ru');
    expect(i18n.t('answers.send')).toBe('Отправить ответ');
    expect(localStorage.getItem(LANG_STORAGE_KEY)).toBe('ru');
    TestBed.flushEffects();
    expect(document.documentElement.lang).toBe('ru');
    i18n.setLang('kk');
  });

  it('fills placeholders', () => {
    const i18n = TestBed.inject(I18n);
    i18n.setLang('en');
    expect(i18n.t('answers.uploadRefused', { name: 'a.pdf', reason: 'Too big.' })).toBe(
      '«a.pdf» was not uploaded. Too big.',
    );
  });

  it('has every key in Russian and English, none empty, with the same placeholders', () => {
    // a plain `{n}` and a plural `{n, plural, …}` both take the parameter n
    const placeholders = (s: string) => [...new Set(s.match(/\{\w+(?=[},])/g) ?? [])].sort().join();
    for (const key of Object.keys(kk) as (keyof typeof kk)[]) {
      for (const [lang, messages] of [
        ['ru', ru],
        ['en', en],
      ] as const) {
        expect(messages[key]?.trim()).withContext(`${lang} ${key}`).toBeTruthy();
        expect(placeholders(messages[key])).withContext(`${lang} ${key}`).toBe(placeholders(kk[key]));
      }
    }
  });

  it('says "1 ticket" and "2 tickets" in English, the three Russian forms, and Kazakh\'s one form (Intl.PluralRules)', () => {
    const i18n = TestBed.inject(I18n);
    i18n.setLang('en');
    expect(i18n.t('room.releasedTo', { n: 1 })).toBe('Questions released to 1 student.');
    expect(i18n.t('room.releasedTo', { n: 2 })).toBe('Questions released to 2 students.');
    expect(i18n.t('tickets.bulkPreview', { n: 1, numbers: '5–5' })).toBe('1 ticket (No. 5–5).');
    expect(i18n.t('answers.count', { n: 12345 })).toBe('12,345 characters');
    expect(i18n.t('trail.detail.size', { chars: 1, files: 0 })).toBe('1 character, 0 files');
    i18n.setLang('ru');
    expect([1, 3, 5, 21].map((n) => i18n.t('tickets.bulkPreview', { n, numbers: '1–2' }))).toEqual([
      '1 билет (№ 1–2).',
      '3 билета (№ 1–2).',
      '5 билетов (№ 1–2).',
      '21 билет (№ 1–2).',
    ]);
    expect(i18n.t('room.releasedTo', { n: 1 })).toBe('Вопросы отправлены 1 обучающемуся.');
    i18n.setLang('kk');
    expect(i18n.t('room.releasedTo', { n: 1 })).toBe('Сұрақтар жіберілді: 1 білім алушы.');
    expect(i18n.t('room.releasedTo', { n: 5 })).toBe('Сұрақтар жіберілді: 5 білім алушы.');
    expect(i18n.t('answers.count', { n: 12345 }).replace(/\s/g, ' ')).toBe('12 345 белгі');
  });

  it('finds no plural form missing: every plural message has an "other" form', () => {
    for (const [lang, messages] of [
      ['kk', kk],
      ['ru', ru],
      ['en', en],
    ] as const) {
      for (const [key, text] of Object.entries(messages)) {
        if (/\{\w+,\s*plural,/.test(text))
          expect(text)
            .withContext(`${lang} ${key}`)
            .toMatch(/other\s*\{/);
      }
    }
  });

  it('leaves no English in the Kazakh UI', () => {
    const latin = Object.entries(kk)
      .filter(([key]) => key !== 'lang.en')
      .map(
        ([key, text]) =>
          [
            key,
            text
              .replace(/\{\w+\}/g, '')
              .replace(/\{\w+,\s*plural,/g, '')
              .replace(/(=\d+|zero|one|two|few|many|other)\s*\{/g, ''),
          ] as const,
      )
      .filter(([, text]) => /[A-Za-z]{2,}/.test(text));
    expect(latin).toEqual([]);
  });

  it("uses the seed's labels verbatim", () => {
    expect(kk['menu.onlineAttestation']).toBe('Онлайн аттестаттау');
    expect(kk['menu.intermediateAttestation']).toBe('Аралық аттестаттау');
    expect(kk['list.title']).toBe('Онлайн аралық аттестаттаудан өту');
    expect(kk['board.title']).toBe('Билетті таңдау');
    expect(kk['questions.show']).toBe('Билет бойынша сұрақтарды көрсету');
    expect(kk['questions.pending']).toBe('Өтінеміз, күте тұрыңыз. Сұрақтар әлі жіберілген жоқ');
    expect(kk['answers.title']).toBe('Жауаптар');
    expect(kk['answers.upload']).toBe('Файлды жүктеу');
    expect(kk['answers.delete']).toBe('Өшіру');
    expect(kk['answers.save']).toBe('Сақтау');
    expect(kk['answers.send']).toBe('Жауапты жіберу');
    expect(kk['platform.title']).toBe('Өткізу платформасы');
  });

  it("shows dates and times in the university's zone, in the chosen language", () => {
    const i18n = TestBed.inject(I18n);
    const clock = TestBed.inject(ServerClock);
    clock.timeZone.set('Asia/Almaty');
    const at = '2026-11-29T10:24:46.000Z'; // 15:24:46 in Almaty (UTC+5)
    i18n.setLang('kk');
    expect(i18n.date(at)).toBe('2026 ж. 29 қараша');
    expect(i18n.time(at)).toBe('15:24');
    expect(i18n.dateTime(at)).toBe('29.11.2026, 15:24:46');
    expect(i18n.zoneLabel(Date.parse(at))).toBe('Asia/Almaty (GMT+5)');
    i18n.setLang('ru');
    expect(i18n.date(at)).toBe('29 ноября 2026 г.');
    i18n.setLang('en');
    expect(i18n.date(at)).toBe('29 November 2026');
    clock.timeZone.set('Europe/London');
    expect(i18n.time(at)).toBe('10:24');
    i18n.setLang('kk');
  });

  it('writes a date beside a time so that no language reads day and month the other way round', () => {
    const i18n = TestBed.inject(I18n);
    TestBed.inject(ServerClock).timeZone.set('Asia/Almaty');
    const at = '2026-12-02T09:05:07.000Z'; // 2 December, 14:05:07 in Almaty
    const shown = (lang: 'kk' | 'ru' | 'en') => {
      i18n.setLang(lang);
      return i18n.dateTime(at);
    };
    expect(shown('en')).toBe('2 Dec 2026, 14:05:07'); // not 02/12/2026
    expect(shown('ru')).toBe('02.12.2026, 14:05:07');
    expect(shown('kk')).toBe('02.12.2026, 14:05:07');
  });

  it('formats numbers in the chosen language', () => {
    const i18n = TestBed.inject(I18n);
    i18n.setLang('kk');
    expect(i18n.number(12345.5).replace(/\s/g, ' ')).toBe('12 345,5'); // a no-break space groups the thousands
    i18n.setLang('en');
    expect(i18n.number(12345.5)).toBe('12,345.5');
    i18n.setLang('kk');
  });
});
