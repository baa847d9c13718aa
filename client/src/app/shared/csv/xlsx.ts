import { signal } from '@angular/core';
import type * as ExcelJS from 'exceljs';
import type { Lang } from '../../core/i18n/i18n';
import { type ExportCell, type ExportTable, isInstant, saveFile, wallClock } from './csv';

/** Excel's own forms: the date as the language writes it, to the second, 24-hour. */
const DATE_FORMATS: Readonly<Record<Lang, string>> = {
  kk: 'dd.mm.yyyy hh:mm:ss',
  ru: 'dd.mm.yyyy hh:mm:ss',
  en: 'yyyy-mm-dd hh:mm:ss',
};
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * exceljs is about a megabyte: fetched the first time someone asks for an XLSX file, never with the app. Its
 * browser build is CommonJS, so the classes may sit on the module's default export.
 */
async function loadExcelJs(): Promise<typeof ExcelJS> {
  const module = (await import('exceljs')) as typeof ExcelJS & { default?: typeof ExcelJS };
  return module.Workbook ? module : module.default!;
}

/**
 * Excel keeps no zone with a date: the cell holds what the university's clocks showed, so "11:05" reads 11:05
 * in Almaty, in Moscow and in London alike (the CSV writes the same wall clock).
 */
function wallDate(at: string, timeZone: string): Date {
  const { year, month, day, time } = wallClock(at, timeZone);
  const [hour, minute, second] = time.split(':').map(Number);
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second));
}

/** a sheet's name: at most 31 characters, none of []:*?/\ */
function sheetName(name: string): string {
  return name.replace(/[[\]:*?/\\]+/g, '-').slice(0, 31) || 'Sheet1';
}

/** the width a column needs for its longest line, in characters, within reason; a long header wraps instead */
function width(header: string, values: readonly string[]): number {
  const longest = Math.max(0, ...values.flatMap((v) => v.split('\n').map((line) => line.length)));
  return Math.min(60, Math.max(8, Math.min(header.length, 24), longest) + 2);
}

/** The table as an XLSX workbook: numbers as numbers, instants as dates, a bold frozen header, fitted columns. */
export async function toXlsx(table: ExportTable, lang: Lang): Promise<ArrayBuffer> {
  const { Workbook } = await loadExcelJs();
  const book = new Workbook();
  const sheet = book.addWorksheet(sheetName(table.sheet), { views: [{ state: 'frozen', ySplit: 1 }] });
  const dateFormat = DATE_FORMATS[lang];
  const shown = (cell: ExportCell, decimals?: number): string =>
    cell == null
      ? ''
      : isInstant(cell)
        ? dateFormat
        : typeof cell === 'number' && decimals !== undefined
          ? cell.toFixed(decimals)
          : String(cell);

  sheet.columns = table.columns.map((column, i) => ({
    header: column.header,
    width: width(
      column.header,
      table.rows.map((row) => shown(row[i], column.decimals)),
    ),
    style: column.decimals ? { numFmt: `0.${'0'.repeat(column.decimals)}` } : {},
  }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: 'top', wrapText: true };
  for (const row of table.rows) {
    const added = sheet.addRow(row.map((cell) => (isInstant(cell) ? wallDate(cell.at, table.timeZone) : cell)));
    row.forEach((cell, i) => {
      if (isInstant(cell)) added.getCell(i + 1).numFmt = dateFormat;
    });
  }
  if (table.columns.length) {
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.columns.length } };
  }
  return book.xlsx.writeBuffer();
}

/** Saves the table as an XLSX file (loading the library first, once). */
export async function downloadXlsx(table: ExportTable, lang: Lang): Promise<void> {
  const bytes = await toXlsx(table, lang);
  saveFile(`${table.name}.xlsx`, new Blob([bytes], { type: XLSX_TYPE }));
}

/**
 * An XLSX button's state: busy while the library loads and the file is written (a second click does nothing),
 * failed when it could not be (the library did not arrive, e.g. offline), until the next try.
 */
export class XlsxExport {
  readonly busy = signal(false);
  readonly failed = signal(false);

  /** `table` may still be on its way (a paged list reading its remaining pages): busy from the click on */
  async download(table: ExportTable | undefined | Promise<ExportTable | undefined>, lang: Lang): Promise<void> {
    if (!table || this.busy()) return;
    this.busy.set(true);
    this.failed.set(false);
    try {
      const ready = await table;
      if (ready) await downloadXlsx(ready, lang);
    } catch {
      this.failed.set(true);
    } finally {
      this.busy.set(false);
    }
  }
}
