import { downloadCsv, fileName, toCsv } from './csv';

describe('CSV export', () => {
  it('quotes only what needs quoting and ends lines with CRLF', () => {
    expect(
      toCsv([
        ['Студент', 'Баға'],
        ['Әлия Нұрланқызы', 88],
        ['Ким, Елена', null],
        ['say "hi"', 'a\nb'],
      ]),
    ).toBe('Студент,Баға\r\nӘлия Нұрланқызы,88\r\n"Ким, Елена",\r\n"say ""hi""","a\nb"\r\n');
  });

  it('keeps a cell that looks like a formula as text, but not a negative number', () => {
    expect(toCsv([['=HYPERLINK("x")', '-5', '+1', '@sum']])).toBe('"\'=HYPERLINK(""x"")",-5,\'+1,\'@sum\r\n');
  });

  it('names files without characters a file system refuses', () => {
    expect(fileName('Журнал', 'CSE-301', '2026/2027:1')).toBe('Журнал CSE-301 2026-2027-1');
  });

  it('downloads a UTF-8 file with a byte-order mark', async () => {
    let saved: Blob | null = null;
    let name = '';
    spyOn(URL, 'createObjectURL').and.callFake((blob) => {
      saved = blob as Blob;
      return 'blob:x';
    });
    spyOn(HTMLAnchorElement.prototype, 'click').and.callFake(function (this: HTMLAnchorElement) {
      name = this.download;
    });
    downloadCsv('journal', [['Әлия', 'A']]);
    expect(name).toBe('journal.csv');
    const bytes = new Uint8Array(await saved!.arrayBuffer());
    expect(Array.from(bytes.slice(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
    expect(await saved!.text()).toContain('Әлия,A');
  });
});
