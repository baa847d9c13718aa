import { inflateRawSync } from 'node:zlib';

/**
 * The bytes a zip (an XLSX workbook) unpacks to, counted by unpacking every entry with a cap, so a zip bomb — a
 * small file that unpacks to gigabytes — is refused before a spreadsheet library builds it in memory. The sizes a
 * zip declares are not trusted: each entry is inflated with `maxOutputLength`, which stops zlib at the cap.
 *
 * Returns the total; TOO_LARGE as soon as it passes `max` (unpacking stops there); UNREADABLE when the zip cannot be
 * read this way (no end record, an entry neither stored nor deflated, ZIP64). The caller refuses both.
 */
export function unpackedZipSize(zip: Buffer, max: number): { bytes: number } | 'TOO_LARGE' | 'UNREADABLE' {
  const end = endRecordAt(zip);
  if (end < 0) return 'UNREADABLE';
  const entries = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16); // the central directory
  let total = 0;
  for (let i = 0; i < entries; i++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== 0x02014b50) return 'UNREADABLE';
    const method = zip.readUInt16LE(at + 10);
    const packed = zip.readUInt32LE(at + 20);
    const local = zip.readUInt32LE(at + 42);
    if (packed === 0xffffffff || local === 0xffffffff) return 'UNREADABLE'; // ZIP64: no workbook needs it
    if (local + 30 > zip.length || zip.readUInt32LE(local) !== 0x04034b50) return 'UNREADABLE';
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    if (start + packed > zip.length) return 'UNREADABLE';
    const left = max - total;
    if (method === 0) total += packed;
    else if (method === 8) {
      try {
        total += inflateRawSync(zip.subarray(start, start + packed), { maxOutputLength: Math.max(1, left + 1) }).length;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return 'TOO_LARGE';
        return 'UNREADABLE';
      }
    } else return 'UNREADABLE';
    if (total > max) return 'TOO_LARGE';
    at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return { bytes: total };
}

/** where the end-of-central-directory record starts: searched back from the end, past a comment of ≤ 65,535 bytes */
function endRecordAt(zip: Buffer): number {
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === 0x06054b50) return at;
  }
  return -1;
}
