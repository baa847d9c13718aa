import type { Lang } from '../../core/i18n/i18n';
import { clockTime, wallTime } from '../zoned-time/zoned-time';

/** An instant in an exported table: written as the date and time on the university's clocks. */
export interface ExportInstant {
  readonly at: string;
}

/** A cell of an exported table: text, a number, an instant, or nothing. */
export type ExportCell = string | number | ExportInstant | null | undefined;

export interface ExportColumn {
  readonly header: string;
  /** digits after the decimal mark (3,67 rather than 3,6666…); whole numbers when absent */
  readonly decimals?: number;
}

/**
 * What one export holds, whatever the format: the CSV and the XLSX of it have the same content, cell for cell.
 * Numbers stay numbers and instants stay instants here; each format writes them its own way.
 */
export interface ExportTable {
  /** the file's name without the extension */
  readonly name: string;
  /** the worksheet's name (XLSX) */
  readonly sheet: string;
  /** the university's zone: instants are written as its wall clock shows them */
  readonly timeZone: string;
  readonly columns: readonly ExportColumn[];
  readonly rows: readonly (readonly ExportCell[])[];
}

export const instant = (at: string): ExportInstant => ({ at });

export function isInstant(cell: ExportCell): cell is ExportInstant {
  return typeof cell === 'object' && cell !== null;
}

/**
 * How a spreadsheet program set to the language reads a CSV file: a Kazakh or Russian Excel splits on `;` and
 * reads `3,67` as a number (its decimal mark is the comma); an English one splits on `,` and reads `3.67`.
 * Dates are written in the form that locale's spreadsheet recognises as a date.
 */
export interface CsvDialect {
  readonly separator: ',' | ';';
  readonly decimal: '.' | ',';
  /** day.month.year or year-month-day */
  readonly dates: 'dmy' | 'iso';
}

export const CSV_DIALECTS: Readonly<Record<Lang, CsvDialect>> = {
  kk: { separator: ';', decimal: ',', dates: 'dmy' },
  ru: { separator: ';', decimal: ',', dates: 'dmy' },
  en: { separator: ',', decimal: '.', dates: 'iso' },
};

/** The wall-clock fields of an instant in the zone, to the second. */
export function wallClock(at: string, timeZone: string): { year: number; month: number; day: number; time: string } {
  const [year, month, day] = wallTime(at, timeZone).date.split('-').map(Number);
  return { year, month, day, time: clockTime(at, timeZone) };
}

function csvInstant(at: string, timeZone: string, dialect: CsvDialect): string {
  const { year, month, day, time } = wallClock(at, timeZone);
  const dd = String(day).padStart(2, '0');
  const mm = String(month).padStart(2, '0');
  return dialect.dates === 'dmy' ? `${dd}.${mm}.${year} ${time}` : `${year}-${mm}-${dd} ${time}`;
}

/**
 * RFC 4180 with the dialect's separator: CRLF lines, a cell quoted when it holds the separator, a quote or a line
 * break; numbers with the dialect's decimal mark.
 */
export function toCsv(table: ExportTable, dialect: CsvDialect): string {
  const text = (value: ExportCell, column: ExportColumn | undefined): string => {
    if (value == null) return '';
    if (isInstant(value)) return csvInstant(value.at, table.timeZone, dialect);
    if (typeof value === 'number') {
      const digits = column?.decimals;
      const plain = digits === undefined ? String(value) : value.toFixed(digits);
      return plain.replace('.', dialect.decimal);
    }
    // a leading = + - @ would run as a formula in a spreadsheet: kept as text
    return /^[=+\-@\t\r]/.test(value) && !/^-?\d+([.,]\d+)?$/.test(value) ? `'${value}` : value;
  };
  const needsQuotes = new RegExp(`["\\r\\n${dialect.separator}]`);
  const cell = (value: string) => (needsQuotes.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  const lines = [
    table.columns.map((c) => cell(c.header)),
    ...table.rows.map((row) => row.map((value, i) => cell(text(value, table.columns[i])))),
  ];
  return lines.map((line) => line.join(dialect.separator)).join('\r\n') + '\r\n';
}

/** A file name without characters that file systems refuse. */
export function fileName(...parts: string[]): string {
  return parts
    .join(' ')
    .replace(/[\\/:*?"<>|]+/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Saves a file made in the browser (no server round trip). */
export function saveFile(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Saves the table as a CSV file in the language's dialect. The byte-order mark makes spreadsheet programs read
 * the file as UTF-8, so Kazakh and Russian names arrive intact.
 */
export function downloadCsv(table: ExportTable, lang: Lang): void {
  const blob = new Blob(['\uFEFF', toCsv(table, CSV_DIALECTS[lang])], { type: 'text/csv;charset=utf-8' });
  saveFile(`${table.name}.csv`, blob);
}
