import { createHmac } from 'node:crypto';

/** Letters and digits no one mistakes for another (no 0/O, 1/I/L), the same in every language's font. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
/** 31^5 ≈ 28.6 million codes: a clash inside one exam is rare, and resolved (see `codesOfExam`) when it happens. */
const LENGTH = 5;

/** A sitting as the codes of its exam are drawn: by id, in the order the sittings were made. */
export interface CodedSitting {
  id: string;
  createdAt: Date;
}

/**
 * Blind-marking codes: `K7M-3Q`, an HMAC of the sitting's id under a key of the server's own (derived from the secret
 * that signs file links, so every instance and restart draws the same code), so it is stable, and cannot be turned
 * back into the sitting, let alone the student, by anyone without the key.
 */
export class BlindCodes {
  private readonly key: Buffer;

  constructor(secret: Buffer) {
    // a key of its own: a code is never a piece of a file link's signature
    this.key = createHmac('sha256', secret).update('attestation:blind-marking:v1').digest();
  }

  /** The `round`-th code of a sitting: round 0 unless an earlier sitting of its exam drew the same. */
  draw(sittingId: string, round = 0): string {
    const digest = createHmac('sha256', this.key).update(`${sittingId}:${round}`).digest();
    let code = '';
    for (let i = 0; i < LENGTH; i++) code += ALPHABET[digest[i]! % ALPHABET.length];
    return `${code.slice(0, 3)}-${code.slice(3)}`;
  }

  /**
   * Every sitting's code at one exam, unique in it: the sittings take their codes in the order they were made, and
   * one whose code an earlier one holds draws again. A sitting added later never changes an earlier one's code.
   */
  codesOfExam(sittings: readonly CodedSitting[]): Map<string, string> {
    const ordered = [...sittings].sort(
      (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    const taken = new Set<string>();
    const codes = new Map<string, string>();
    for (const sitting of ordered) {
      let round = 0;
      let code = this.draw(sitting.id);
      while (taken.has(code)) code = this.draw(sitting.id, ++round);
      taken.add(code);
      codes.set(sitting.id, code);
    }
    return codes;
  }
}
