import type busboy from 'busboy';

/** what busboy's multipart parser hands every stretch of the body to: data between boundaries, and each boundary */
type SearchCallback = (
  isMatch: boolean,
  data: Buffer | undefined,
  start: number,
  end: number,
  isDataSafe: boolean,
) => void;

/** the search busboy 1.x keeps in `_bparser` (streamsearch's SBMH): `push` a chunk, `destroy` at the end */
interface StreamSearchLike {
  push(chunk: Buffer, pos?: number): number;
  destroy(): void;
}

/**
 * The boundary search of a multipart body with `Buffer.indexOf` (native, vectorised) instead of streamsearch's
 * Boyer-Moore-Horspool in JavaScript (busboy's `feed` was ~6 % of an exam's upload burst on the server), with
 * streamsearch's contract: every byte that is not part of a boundary is handed to the callback once, in order, and
 * each boundary as `isMatch` with the bytes just before it; bytes that may begin a boundary at the end of a chunk are
 * held (at most the boundary's length less one) until the next chunk tells; `isDataSafe` false means the bytes are in
 * the held buffer, which the callback must copy (busboy does).
 */
export class BoundarySearch implements StreamSearchLike {
  private readonly held: Buffer;
  private heldLength = 0;

  constructor(
    private readonly needle: Buffer,
    private readonly cb: SearchCallback,
  ) {
    if (needle.length < 2) throw new Error('a boundary of at least two bytes is expected');
    this.held = Buffer.allocUnsafe(needle.length);
  }

  push(chunk: Buffer, pos = 0): number {
    const length = chunk.length;
    let start = pos;
    if (this.heldLength > 0) {
      start = this.afterHeld(chunk, start);
      if (start < 0) return length; // the whole chunk went on being a possible boundary's beginning
    }
    const { needle } = this;
    for (;;) {
      const at = chunk.indexOf(needle, start);
      if (at === -1) break;
      if (at > start) this.cb(true, chunk, start, at, true);
      else this.cb(true, undefined, 0, 0, true);
      start = at + needle.length;
    }
    // the chunk's last bytes may begin a boundary the next chunk completes: held back until then
    const partial = this.partialAt(chunk, Math.max(start, length - needle.length + 1), length);
    if (partial > start) this.cb(false, chunk, start, partial, true);
    if (partial < length) {
      chunk.copy(this.held, 0, partial, length);
      this.heldLength = length - partial;
    }
    return length;
  }

  destroy(): void {
    if (this.heldLength) this.cb(false, this.held, 0, this.heldLength, false);
    this.heldLength = 0;
  }

  /**
   * Settles the held bytes against the chunk's first bytes: a boundary that began in them (handed over, with the held
   * bytes before it), or bytes that cannot begin one (handed over as data). Returns where the chunk's own search
   * starts, or -1 when the chunk was too short to tell and is held as well.
   */
  private afterHeld(chunk: Buffer, start: number): number {
    const { needle } = this;
    const heldLength = this.heldLength;
    const headLength = Math.min(chunk.length - start, needle.length - 1);
    const joined = Buffer.concat([this.held.subarray(0, heldLength), chunk.subarray(start, start + headLength)]);
    const at = joined.indexOf(needle);
    if (at !== -1 && at < heldLength) {
      this.heldLength = 0;
      if (at > 0) this.cb(true, this.held, 0, at, false);
      else this.cb(true, undefined, 0, 0, true);
      return start + at + needle.length - heldLength;
    }
    if (start + headLength === chunk.length) {
      // the chunk ended within reach of the held bytes: what may still begin a boundary stays held
      const partial = this.partialAt(joined, 0, heldLength);
      if (partial < heldLength) {
        if (partial > 0) this.cb(false, this.held, 0, partial, false);
        joined.copy(this.held, 0, partial);
        this.heldLength = joined.length - partial;
        return -1;
      }
    }
    this.cb(false, this.held, 0, heldLength, false);
    this.heldLength = 0;
    return start;
  }

  /** the first position in [from, to) from which `data`'s end is the beginning of the boundary, else `data.length` */
  private partialAt(data: Buffer, from: number, to: number): number {
    const first = this.needle[0];
    for (let at = data.indexOf(first, from); at !== -1 && at < to; at = data.indexOf(first, at + 1)) {
      if (this.isPrefix(data, at)) return at;
    }
    return data.length;
  }

  /** whether `data` from `at` to its end is the beginning of the boundary */
  private isPrefix(data: Buffer, at: number): boolean {
    const length = data.length - at;
    return length < this.needle.length && data.compare(this.needle, 0, length, at) === 0;
  }
}

/**
 * Puts a BoundarySearch in place of streamsearch in a busboy multipart parser just made (busboy 1.x: `_bparser`, which
 * holds the CR LF the parser writes first). Everything else — part headers, names, limits, file streams, errors — stays
 * busboy's. A parser of another shape is left as it is.
 */
export function withFastBoundarySearch(parser: busboy.Busboy): busboy.Busboy {
  const internals = parser as unknown as {
    _bparser?: { _cb?: unknown; _needle?: unknown; _lookbehindSize?: unknown; _lookbehind?: unknown };
  };
  const old = internals._bparser;
  if (
    !old ||
    typeof old._cb !== 'function' ||
    !Buffer.isBuffer(old._needle) ||
    typeof old._lookbehindSize !== 'number' ||
    !Buffer.isBuffer(old._lookbehind)
  )
    return parser;
  const search = new BoundarySearch(old._needle, old._cb as SearchCallback);
  // what streamsearch holds (the parser's first CR LF, the beginning of a boundary) is held by the new search
  if (old._lookbehindSize > 0) search.push(Buffer.from(old._lookbehind.subarray(0, old._lookbehindSize)));
  internals._bparser = search as never;
  return parser;
}
