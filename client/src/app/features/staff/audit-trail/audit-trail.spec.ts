import { TestBed } from '@angular/core/testing';
import { ServerClock } from '../../../core/graphql/server-clock';
import { I18n } from '../../../core/i18n/i18n';
import { CSV_DIALECTS, instant, toCsv } from '../../../shared/csv/csv';
import { eventDetail, trailExport } from './audit-trail';

describe('the audit trail', () => {
  let i18n: I18n;

  beforeEach(() => {
    i18n = TestBed.inject(I18n);
    TestBed.inject(ServerClock).timeZone.set('Asia/Almaty');
    i18n.setLang('kk');
  });

  it("shows the server's known details in the page's language and anything else as it is", () => {
    expect(eventDetail(i18n, 'exam page opened')).toBe('емтихан беті ашылды');
    expect(eventDetail(i18n, 'ticket 7')).toBe('№ 7');
    expect(eventDetail(i18n, '120 characters, 2 file(s)')).toBe('120 белгі, 2 файл');
    expect(eventDetail(i18n, 'until 2026-11-29T09:15:00.000Z')).toBe('29.11.2026, 14:15:00 дейін');
    expect(eventDetail(i18n, 'schema.sql')).toBe('schema.sql');
    expect(eventDetail(i18n, null)).toBe('');
    i18n.setLang('ru');
    expect(eventDetail(i18n, 'drawn at random')).toBe('выдан случайно');
    expect(eventDetail(i18n, 'private draft')).toBe('черновик: что в нём было, видит только студент');
    i18n.setLang('kk');
    expect(eventDetail(i18n, 'private draft')).toBe('жауаптың жобасы: ішінде не болғанын тек студент көреді');
  });

  it('exports one line per event with the local time (its zone named) and the instant in UTC', () => {
    const trail = trailExport(i18n, 'Asia/Almaty', 'trail', [
      {
        id: 's1',
        student: { id: 'u1', login: 'student21', fullName: 'Әлия Нұрланқызы' },
        events: [
          {
            id: 'e1',
            kind: 'ENTERED',
            at: '2026-11-29T06:00:00.000Z',
            detail: 'exam page opened',
            actor: { id: 'u1', fullName: 'Әлия Нұрланқызы' },
          },
          {
            id: 'e2',
            kind: 'QUESTIONS_RELEASED',
            at: '2026-11-29T06:05:00.000Z',
            detail: null,
            actor: { id: 'st', fullName: 'Айгүл Серікова' },
          },
        ],
      },
    ]);
    expect(trail.columns.map((c) => c.header)).toEqual([
      'Білім алушы',
      'Логин',
      'Уақыты (Asia/Almaty)',
      'Дүниежүзілік уақыт',
      'Әрекет',
      'Кім',
      'Толығырақ',
    ]);
    expect(trail.rows[1]).toEqual([
      'Әлия Нұрланқызы',
      'student21',
      instant('2026-11-29T06:05:00.000Z'),
      '2026-11-29T06:05:00.000Z',
      'Сұрақтар жіберілді',
      'Айгүл Серікова',
      '',
    ]);
    expect(toCsv(trail, CSV_DIALECTS.kk).split('\r\n')[2]).toBe(
      'Әлия Нұрланқызы;student21;29.11.2026 11:05:00;2026-11-29T06:05:00.000Z;Сұрақтар жіберілді;Айгүл Серікова;',
    );
  });
});
