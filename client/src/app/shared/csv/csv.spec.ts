import { CSV_DIALECTS, downloadCsv, type ExportTable, fileName, instant, toCsv } from './csv';

const table = (rows: ExportTable['rows'], columns: ExportTable['columns'] = rows[0].map(() => ({ header: 'h' }))) => ({
  name: 'journal',
  sheet: 'Журнал',
  timeZone: 'Asia/Almaty',
  columns,
  rows,
});

describe('CSV export', () => {
  it('uses `;` and the decimal comma in Kazakh and Russian, `,` and the decimal point in English', () => {
    const grades = table(
      [['Әлия Нұрланқызы', 88, 'B+', 3.33]],
      [{ header: 'Студент' }, { header: 'Балл' }, { header: 'Баға' }, { header: 'GPA', decimals: 2 }],
    );
    expect(toCsv(grades, CSV_DIALECTS.kk)).toBe('Студент;Балл;Баға;GPA\r\nӘлия Нұрланқызы;88;B+;3,33\r\n');
    expect(toCsv(grades, CSV_DIALECTS.ru)).toBe('Студент;Балл;Баға;GPA\r\nӘлия Нұрланқызы;88;B+;3,33\r\n');
    expect(toCsv(grades, CSV_DIALECTS.en)).toBe('Студент,Балл,Баға,GPA\r\nӘлия Нұрланқызы,88,B+,3.33\r\n');
  });

  it('writes a number with the digits its column asks for, and a whole one as it is', () => {
    const columns = [{ header: 'gpa', decimals: 2 }, { header: 'score' }, { header: 'ratio' }];
    expect(toCsv(table([[4, 100, 0.5]], columns), CSV_DIALECTS.kk)).toBe('gpa;score;ratio\r\n4,00;100;0,5\r\n');
    expect(toCsv(table([[4, 100, 0.5]], columns), CSV_DIALECTS.en)).toBe('gpa,score,ratio\r\n4.00,100,0.5\r\n');
  });

  it('quotes a cell only when it holds the separator, a quote or a line break', () => {
    const rows = [['Ким, Елена', 'a;b', 'say "hi"', 'a\nb', null]];
    // the Kazakh file splits on `;`: the comma needs no quotes there, the semicolon does
    expect(toCsv(table(rows), CSV_DIALECTS.kk)).toBe('h;h;h;h;h\r\nКим, Елена;"a;b";"say ""hi""";"a\nb";\r\n');
    expect(toCsv(table(rows), CSV_DIALECTS.en)).toBe('h,h,h,h,h\r\n"Ким, Елена",a;b,"say ""hi""","a\nb",\r\n');
    // a header is quoted by the same rule
    expect(toCsv(table([[1]], [{ header: '29 November 2026, 10:00: score' }]), CSV_DIALECTS.en)).toBe(
      '"29 November 2026, 10:00: score"\r\n1\r\n',
    );
  });

  it('keeps a cell that looks like a formula as text, but not a negative number', () => {
    expect(toCsv(table([['=HYPERLINK("x")', '-5', '+1', '@sum', -5]]), CSV_DIALECTS.en)).toBe(
      'h,h,h,h,h\r\n"\'=HYPERLINK(""x"")",-5,\'+1,\'@sum,-5\r\n',
    );
  });

  it("writes an instant as the university's clocks show it, in the form the language's spreadsheet reads as a date", () => {
    const at = table([[instant('2026-11-29T06:05:09.000Z')]]);
    expect(toCsv(at, CSV_DIALECTS.kk)).toBe('h\r\n29.11.2026 11:05:09\r\n');
    expect(toCsv(at, CSV_DIALECTS.en)).toBe('h\r\n2026-11-29 11:05:09\r\n');
    expect(toCsv({ ...at, timeZone: 'Europe/London' }, CSV_DIALECTS.ru)).toBe('h\r\n29.11.2026 06:05:09\r\n');
  });

  it('names files without characters a file system refuses', () => {
    expect(fileName('Журнал', 'CSE-301', '2026/2027:1')).toBe('Журнал CSE-301 2026-2027-1');
  });

  it('downloads a UTF-8 file with a byte-order mark, in the dialect of the language', async () => {
    let saved: Blob | null = null;
    let name = '';
    spyOn(URL, 'createObjectURL').and.callFake((blob) => {
      saved = blob as Blob;
      return 'blob:x';
    });
    spyOn(HTMLAnchorElement.prototype, 'click').and.callFake(function (this: HTMLAnchorElement) {
      name = this.download;
    });
    downloadCsv(table([['Әлия', 3.5]]), 'ru');
    expect(name).toBe('journal.csv');
    const bytes = new Uint8Array(await saved!.arrayBuffer());
    expect(Array.from(bytes.slice(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
    expect(await saved!.text()).toContain('Әлия;3,5');
  });
});
