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
    expect(i18n.t('answers.uploadRefused', { name: 'a.pdf', reason: 'Too big.' })).toBe('«a.pdf» was not uploaded. Too big.');
  });

  it('has every key in Russian and English, none empty, with the same placeholders', () => {
    const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort().join();
    for (const key of Object.keys(kk) as (keyof typeof kk)[]) {
      for (const [lang, messages] of [['ru', ru], ['en', en]] as const) {
        expect(messages[key]?.trim()).withContext(`${lang} ${key}`).toBeTruthy();
        expect(placeholders(messages[key])).withContext(`${lang} ${key}`).toBe(placeholders(kk[key]));
      }
    }
  });

  it('leaves no English in the Kazakh UI', () => {
    const latin = Object.entries(kk)
      .filter(([key]) => key !== 'lang.en')
      .map(([key, text]) => [key, text.replace(/\{\w+\}/g, '')] as const)
      .filter(([, text]) => /[A-Za-z]{2,}/.test(text));
    expect(latin).toEqual([]);
  });

  it('uses the seed\'s labels verbatim', () => {
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

  it('shows dates and times in the university\'s zone, in the chosen language', () => {
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

  it('formats numbers in the chosen language', () => {
    const i18n = TestBed.inject(I18n);
    i18n.setLang('kk');
    expect(i18n.number(12345.5).replace(/\s/g, ' ')).toBe('12 345,5'); // a no-break space groups the thousands
    i18n.setLang('en');
    expect(i18n.number(12345.5)).toBe('12,345.5');
    i18n.setLang('kk');
  });
});
