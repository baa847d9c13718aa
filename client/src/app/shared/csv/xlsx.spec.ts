import { type ExportTable, instant } from './csv';
import { toXlsx, XlsxExport } from './xlsx';

const journal: ExportTable = {
  name: 'Журнал CSE-220',
  sheet: 'Журнал: 2026/2027 [1]',
  timeZone: 'Asia/Almaty',
  columns: [
    { header: 'Білім алушы' },
    { header: '2026 ж. 29 қараша, 10:00: балл' },
    { header: 'GPA', decimals: 2 },
    { header: 'Уақыты (Asia/Almaty)' },
  ],
  rows: [
    ['Әлия Нұрланқызы', 88, 3.33, instant('2026-11-29T06:05:09.000Z')],
    ['=cmd', null, 4, null],
  ],
};

/** the written file, read back with the same library (as Excel would open it) */
async function readBack(bytes: ArrayBuffer) {
  const module = (await import('exceljs')) as typeof import('exceljs') & { default?: typeof import('exceljs') };
  const { Workbook } = module.Workbook ? module : module.default!;
  const book = new Workbook();
  await book.xlsx.load(bytes);
  return book.worksheets[0];
}

describe('XLSX export', () => {
  it('keeps numbers as numbers and instants as dates on the university’s clocks, with their formats', async () => {
    const sheet = await readBack(await toXlsx(journal, 'kk'));
    expect(sheet.getRow(1).values).toEqual([
      undefined,
      'Білім алушы',
      '2026 ж. 29 қараша, 10:00: балл',
      'GPA',
      'Уақыты (Asia/Almaty)',
    ]);
    const aliya = sheet.getRow(2);
    expect(aliya.getCell(1).value).toBe('Әлия Нұрланқызы');
    expect(aliya.getCell(2).value).toBe(88);
    expect(aliya.getCell(3).value).toBe(3.33);
    expect(aliya.getCell(3).numFmt).toBe('0.00');
    // Excel keeps no zone: the cell holds 11:05:09, what Almaty's clocks showed
    expect((aliya.getCell(4).value as Date).toISOString()).toBe('2026-11-29T11:05:09.000Z');
    expect(aliya.getCell(4).numFmt).toBe('dd.mm.yyyy hh:mm:ss');
    // a text that looks like a formula stays text (no formula is ever written); nothing is an empty cell
    expect(sheet.getRow(3).getCell(1).value).toBe('=cmd');
    expect(sheet.getRow(3).getCell(2).value).toBeNull();
    expect(sheet.rowCount).toBe(3);
  });

  it('has a bold frozen header, a filter, fitted columns and a valid sheet name', async () => {
    const sheet = await readBack(await toXlsx(journal, 'en'));
    expect(sheet.name).toBe('Журнал- 2026-2027 -1-');
    expect(sheet.getRow(1).font?.bold).toBeTrue();
    expect(sheet.views[0]).toEqual(jasmine.objectContaining({ state: 'frozen', ySplit: 1 }));
    expect(sheet.autoFilter).toBeTruthy();
    expect(sheet.getColumn(1).width).toBe(17); // «Әлия Нұрланқызы» and a little room
    expect(sheet.getColumn(2).width).toBe(26); // a long header wraps rather than widening the column
    expect(sheet.getRow(2).getCell(4).numFmt).toBe('yyyy-mm-dd hh:mm:ss');
  });

  it('says so when the file could not be made, and lets the next click try again', async () => {
    const state = new XlsxExport();
    const broken = { ...journal, rows: [[{ at: 'not a date' }]] } as ExportTable;
    await state.download(broken, 'kk');
    expect(state.failed()).toBeTrue();
    expect(state.busy()).toBeFalse();
  });
});
