import { TestBed } from '@angular/core/testing';
import { ServerClock } from '../../../core/graphql/server-clock';
import { I18n } from '../../../core/i18n/i18n';
import { CSV_DIALECTS, toCsv } from '../../../shared/csv/csv';
import { journalExport } from './journal-export';
import { journalTable } from './journal-table';

const student = (id: string, fullName: string) => ({ id, login: id, fullName });
const exam = (id: string, startsAt: string) => ({ id, startsAt, teacher: { id: 't', fullName: 'Нұрлан Әбенов' } });

/** issue 12: the row's sitting, draft flag and history (the export shows published grades only) */
const sitting = (sittingId: string) => ({ sittingId, gradeDraft: false, gradeHistory: [] });

// two exams on one day in Almaty (10:00 and 15:30), and a student who sat only the first and is not graded yet
const rows = [
  {
    student: student('student21', 'Әлия Нұрланқызы'),
    exam: exam('morning', '2026-11-29T05:00:00Z'),
    grade: { score: 88, letter: 'B+', gpa: 3.33 },
    sendMode: 'STUDENT' as const,
    ...sitting('x1'),
    attempt: 1,
    counts: true,
  },
  {
    student: student('student21', 'Әлия Нұрланқызы'),
    exam: exam('afternoon', '2026-11-29T10:30:00Z'),
    grade: { score: 95, letter: 'A', gpa: 4 },
    sendMode: 'AUTOMATIC' as const, // issue 11: sent for her at the end
    ...sitting('x2'),
    attempt: 1,
    counts: true,
  },
  {
    student: student('student22', 'Арман Бекұлы'),
    exam: exam('morning', '2026-11-29T05:00:00Z'),
    grade: null,
    sendMode: null,
    ...sitting('x3'),
    attempt: 1,
    counts: true,
  },
];

// issue 11: the row's note names the exam whose answer the server sent at the end
const NOTE_AFTERNOON = '2026 ж. 29 қараша, 15:30: Аяқталу уақытында жүйе автоматты түрде жіберді';

describe('the journal export', () => {
  let i18n: I18n;

  beforeEach(() => {
    i18n = TestBed.inject(I18n);
    TestBed.inject(ServerClock).timeZone.set('Asia/Almaty');
    i18n.setLang('kk');
  });

  afterEach(async () => await i18n.setLang('kk'));

  it("heads each exam's columns with its date and time on the university's clocks: two exams on one day stay two", () => {
    const table = journalExport(i18n, 'Asia/Almaty', 'journal', journalTable(rows));
    const headers = table.columns.map((c) => c.header);
    expect(headers).toEqual([
      'Білім алушы',
      'Логин',
      '2026 ж. 29 қараша, 10:00: балл',
      '2026 ж. 29 қараша, 10:00: әріптік баға',
      '2026 ж. 29 қараша, 10:00: сандық эквиваленті',
      '2026 ж. 29 қараша, 15:30: балл',
      '2026 ж. 29 қараша, 15:30: әріптік баға',
      '2026 ж. 29 қараша, 15:30: сандық эквиваленті',
      'Ескертпе',
    ]);
    expect(new Set(headers).size).toBe(headers.length);
  });

  it('keeps scores and GPA points as numbers, "not graded" as text, and a gap where the student did not sit', () => {
    const table = journalExport(i18n, 'Asia/Almaty', 'journal', journalTable(rows));
    const line = (login: string) => table.rows.find((row) => row[1] === login);
    expect(table.rows.length).toBe(2);
    expect(line('student21')).toEqual([
      'Әлия Нұрланқызы',
      'student21',
      88,
      'B+',
      3.33,
      95,
      'A',
      4,
      `${NOTE_AFTERNOON}`,
    ]);
    expect(line('student22')).toEqual(['Арман Бекұлы', 'student22', 'Бағаланбаған', null, null, null, null, null, '']);
    expect(table.columns[4].decimals).toBe(2);
  });

  it('writes the same journal as a Kazakh, a Russian and an English spreadsheet reads it', async () => {
    const csv = async (lang: 'kk' | 'ru' | 'en') => {
      await i18n.setLang(lang); // Russian and English messages arrive when chosen
      const lines = toCsv(journalExport(i18n, 'Asia/Almaty', 'journal', journalTable(rows)), CSV_DIALECTS[lang]);
      return lines.split('\r\n');
    };
    const kk = await csv('kk');
    expect(kk[0]).toBe(
      'Білім алушы;Логин;2026 ж. 29 қараша, 10:00: балл;2026 ж. 29 қараша, 10:00: әріптік баға;' +
        '2026 ж. 29 қараша, 10:00: сандық эквиваленті;2026 ж. 29 қараша, 15:30: балл;' +
        '2026 ж. 29 қараша, 15:30: әріптік баға;2026 ж. 29 қараша, 15:30: сандық эквиваленті;Ескертпе',
    );
    expect(kk).toContain(`Әлия Нұрланқызы;student21;88;B+;3,33;95;A;4,00;${NOTE_AFTERNOON}`);
    expect(await csv('ru')).toContain(
      'Әлия Нұрланқызы;student21;88;B+;3,33;95;A;4,00;29 ноября 2026 г., 15:30: Отправлен автоматически по окончании',
    );
    const en = await csv('en');
    expect(en[0]).toContain(',"29 November 2026, 10:00: score",');
    expect(en[0]).toContain(',"29 November 2026, 15:30: GPA points"');
    expect(en).toContain(
      'Әлия Нұрланқызы,student21,88,B+,3.33,95,A,4.00,"29 November 2026, 15:30: Sent automatically at the end"',
    );
  });

  it('E6: with a retake, says for each exam which attempt it is and whether it counts', () => {
    const retakeRows = [
      { ...rows[0], grade: { score: 40, letter: 'FX', gpa: 0.5 }, counts: false },
      {
        student: rows[0].student,
        exam: exam('retake', '2026-12-10T05:00:00Z'),
        grade: { score: 72, letter: 'C+', gpa: 2.33 },
        sendMode: 'STUDENT' as const,
        ...sitting('x4'),
        attempt: 2,
        counts: true,
      },
      rows[2],
    ];
    const table = journalExport(i18n, 'Asia/Almaty', 'journal', journalTable(retakeRows));
    expect(table.columns.map((c) => c.header)).toEqual([
      'Білім алушы',
      'Логин',
      '2026 ж. 29 қараша, 10:00: балл',
      '2026 ж. 29 қараша, 10:00: әріптік баға',
      '2026 ж. 29 қараша, 10:00: сандық эквиваленті',
      '2026 ж. 29 қараша, 10:00: талпыныс',
      '2026 ж. 29 қараша, 10:00: есепке алынады',
      'Қайта тапсыру 2026 ж. 10 желтоқсан, 10:00: балл',
      'Қайта тапсыру 2026 ж. 10 желтоқсан, 10:00: әріптік баға',
      'Қайта тапсыру 2026 ж. 10 желтоқсан, 10:00: сандық эквиваленті',
      'Қайта тапсыру 2026 ж. 10 желтоқсан, 10:00: талпыныс',
      'Қайта тапсыру 2026 ж. 10 желтоқсан, 10:00: есепке алынады',
      'Ескертпе',
    ]);
    const line = (login: string) => table.rows.find((row) => row[1] === login);
    expect(line('student21')).toEqual([
      'Әлия Нұрланқызы',
      'student21',
      40,
      'FX',
      0.5,
      1,
      'Есепке алынбайды',
      72,
      'C+',
      2.33,
      2,
      'Есепке алынады',
      '',
    ]);
    expect(line('student22')).toEqual([
      'Арман Бекұлы',
      'student22',
      'Бағаланбаған',
      null,
      null,
      1,
      'Есепке алынады',
      null,
      null,
      null,
      null,
      null,
      '',
    ]);
  });
});
