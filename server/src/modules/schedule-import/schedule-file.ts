import ExcelJS from 'exceljs';
import { ImportFileInvalidError } from '../../common/errors';
import { REQUIRED_SCHEDULE_COLUMNS, SCHEDULE_COLUMNS, splitStudents, type ScheduleColumn } from '../../rules';
import type { Config } from '../../config';
import type { ScheduleRow } from './schedule-import.service';
import { unpackedZipSize } from './zip-size';

/** A header cell as a column: case, spaces, dashes and underscores do not matter ("Ticket mode" is ticketMode). */
const columnOf = (header: string): ScheduleColumn | undefined => {
  const squeezed = header.replace(/[\s_-]+/g, '').toLowerCase();
  return SCHEDULE_COLUMNS.find((c) => c.toLowerCase() === squeezed);
};

/** Rows of cells from the header's columns; the header is line 1, blank lines are skipped but keep their numbers. */
function rowsOf(lines: string[][], maxRows: number): ScheduleRow[] {
  const [header, ...body] = lines;
  if (!header || header.every((h) => !h.trim()))
    throw new ImportFileInvalidError('The file is empty; the first line must name the columns.', 'EMPTY');
  const columns = header.map((h) => columnOf(h.trim()));
  const missing = REQUIRED_SCHEDULE_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length)
    throw new ImportFileInvalidError(
      `The first line must name the columns; missing: ${missing.join(', ')}. Start from the template.`,
      'MISSING_COLUMNS',
      { columns: missing.join(', ') },
    );
  const rows: ScheduleRow[] = [];
  for (const [index, cells] of body.entries()) {
    if (cells.every((c) => !c.trim())) continue;
    if (rows.length === maxRows)
      throw new ImportFileInvalidError(
        `The file has more than ${maxRows} exams (IMPORT_MAX_ROWS); split it.`,
        'TOO_MANY_ROWS',
        { max: maxRows },
      );
    const row: ScheduleRow = { line: index + 2 };
    for (const [i, column] of columns.entries()) {
      if (!column) continue;
      const value = cells[i] ?? '';
      if (column === 'students') row.students = splitStudents(value);
      else row[column] = value;
    }
    rows.push(row);
  }
  return rows;
}

/** RFC 4180 CSV: quoted cells may hold the separator, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.split(/\r?\n/, 1)[0] ?? '';
  // a Kazakh or Russian spreadsheet writes `;` (the comma is its decimal mark), an English one `,`
  const separator = [';', ',', '\t'].reduce(
    (best, s) => (firstLine.split(s).length > firstLine.split(best).length ? s : best),
    ',',
  );
  const lines: string[][] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === separator) {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && body[i + 1] === '\n') i++;
      cells.push(cell);
      lines.push(cells);
      cells = [];
      cell = '';
    } else cell += ch;
  }
  if (quoted) throw new ImportFileInvalidError('A quoted cell of the CSV file is never closed.', 'UNREADABLE');
  if (cell !== '' || cells.length) lines.push([...cells, cell]);
  return lines;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A spreadsheet cell as the text a CSV would hold: dates as YYYY-MM-DD, times as HH:MM (the sheet's own clock). */
function cellText(value: ExcelJS.CellValue, column: ScheduleColumn | undefined): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    // exceljs gives the sheet's wall clock as if it were UTC
    if (column === 'start' || column === 'end') return `${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}`;
    return value.toISOString().slice(0, 10);
  }
  if (typeof value === 'number' && (column === 'start' || column === 'end') && value >= 0 && value < 1) {
    const minutes = Math.round(value * 24 * 60);
    return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
  }
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return cellText((value.result ?? null) as ExcelJS.CellValue, column);
    if ('text' in value) return String(value.text);
    return '';
  }
  return String(value);
}

async function parseXlsx(bytes: Buffer, maxRows: number): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new ImportFileInvalidError(
      'The XLSX file could not be read; save it again from the spreadsheet program.',
      'UNREADABLE',
    );
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new ImportFileInvalidError('The XLSX file has no sheet.', 'EMPTY');
  if (sheet.actualRowCount > maxRows + 1)
    throw new ImportFileInvalidError(
      `The file has more than ${maxRows} exams (IMPORT_MAX_ROWS); split it.`,
      'TOO_MANY_ROWS',
      {
        max: maxRows,
      },
    );
  const header: (ScheduleColumn | undefined)[] = [];
  const lines: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, number) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellText(cell.value, number === 1 ? undefined : header[col - 1]);
    });
    for (let i = 0; i < cells.length; i++) cells[i] ??= '';
    if (number === 1) cells.forEach((c, i) => (header[i] = columnOf(c.trim())));
    lines[number - 1] = cells;
  });
  for (let i = 0; i < lines.length; i++) lines[i] ??= [];
  return lines;
}

/** a workbook that unpacks past IMPORT_MAX_UNPACKED_KB is refused before exceljs holds it all in memory */
function checkUnpackedSize(bytes: Buffer, max: number): void {
  const size = unpackedZipSize(bytes, max);
  if (size === 'TOO_LARGE')
    throw new ImportFileInvalidError(
      `Unpacked, the workbook is larger than ${max / 1024} KB (IMPORT_MAX_UNPACKED_KB); keep only the schedule's sheet or save it as .csv.`,
      'UNPACKS_TOO_LARGE',
      { maxKb: max / 1024 },
      413,
    );
  if (size === 'UNREADABLE')
    throw new ImportFileInvalidError(
      'The XLSX file could not be read; save it again from the spreadsheet program.',
      'UNREADABLE',
    );
}

const isZip = (bytes: Buffer) => bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50;

/** A schedule file as rows: XLSX (a zip) or CSV (UTF-8 text); anything else is IMPORT_FILE_INVALID, never a fault. */
export async function readScheduleFile(
  bytes: Buffer,
  name: string,
  limits: Pick<Config, 'importMaxRows' | 'importMaxUnpackedBytes'>,
): Promise<ScheduleRow[]> {
  const maxRows = limits.importMaxRows;
  if (!bytes.length) throw new ImportFileInvalidError('The file is empty.', 'EMPTY');
  if (isZip(bytes)) {
    checkUnpackedSize(bytes, limits.importMaxUnpackedBytes);
    return rowsOf(await parseXlsx(bytes, maxRows), maxRows);
  }
  if (/\.xlsx?$/i.test(name))
    throw new ImportFileInvalidError('The file is not an XLSX workbook; save it as .xlsx or .csv.', 'NOT_A_SCHEDULE');
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (text.includes('\u0000') || (text.match(/\uFFFD/g)?.length ?? 0) > 0)
    throw new ImportFileInvalidError('The file is neither a UTF-8 CSV nor an XLSX workbook.', 'NOT_A_SCHEDULE');
  return rowsOf(parseCsv(text), maxRows);
}
