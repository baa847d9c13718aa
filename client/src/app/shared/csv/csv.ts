export type CsvCell = string | number | null | undefined;

/** RFC 4180: comma-separated, CRLF lines, a cell quoted when it holds a comma, a quote or a line break. */
export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  const cell = (value: CsvCell) => {
    const text = value == null ? '' : String(value);
    // a leading = + - @ would run as a formula in a spreadsheet: kept as text
    const safe = /^[=+\-@\t\r]/.test(text) && !/^-?\d+([.,]\d+)?$/.test(text) ? `'${text}` : text;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return rows.map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** A file name without characters that file systems refuse. */
export function fileName(...parts: string[]): string {
  return parts
    .join(' ')
    .replace(/[\\/:*?"<>|]+/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Saves the rows as a CSV file in the browser (no server round trip). The byte-order mark makes
 * spreadsheet programs read the file as UTF-8, so Kazakh and Russian names arrive intact.
 */
export function downloadCsv(name: string, rows: readonly (readonly CsvCell[])[]): void {
  const blob = new Blob(['\uFEFF', toCsv(rows)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name.endsWith('.csv') ? name : `${name}.csv`;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
