/** One ticket read from pasted text. */
export interface BulkTicket {
  readonly number: number;
  readonly questions: string;
}

/** "Билет 5", "Билет №5.", "Ticket 5:", "Билет 5" — a heading that numbers the block under it. */
const HEADING = /^\s*(?:билет|ticket|№)\s*(?:№|no\.?)?\s*(\d{1,5})\s*[.:)]?\s*$/i;

/**
 * Many tickets at once. With heading lines ("Билет 5") each heading starts a ticket of that number and
 * everything up to the next heading is its questions (blank lines included). Without headings, blocks
 * separated by a blank line are the tickets, numbered on from `nextNumber`.
 */
export function parseBulkTickets(text: string, nextNumber: number): BulkTicket[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const sections: { number: number | null; lines: string[] }[] = [];
  if (lines.some((line) => HEADING.test(line))) {
    for (const line of lines) {
      const heading = HEADING.exec(line);
      if (heading) sections.push({ number: Number(heading[1]), lines: [] });
      else if (sections.length) sections[sections.length - 1].lines.push(line);
      else if (line.trim()) sections.push({ number: null, lines: [line] }); // text before the first heading
    }
  } else {
    for (const block of lines.join('\n').split(/\n\s*\n/)) sections.push({ number: null, lines: [block] });
  }
  const tickets: BulkTicket[] = [];
  let next = nextNumber;
  for (const section of sections) {
    const questions = section.lines.join('\n').trim();
    if (!questions) continue;
    const number = section.number ?? next;
    tickets.push({ number, questions });
    next = Math.max(next, number + 1);
  }
  return tickets;
}

/** Numbers that appear twice in the pasted text or are already used by the exam's tickets. */
export function clashingNumbers(tickets: readonly BulkTicket[], existing: readonly number[]): number[] {
  const seen = new Set(existing);
  const clashes = new Set<number>();
  for (const t of tickets) {
    if (seen.has(t.number)) clashes.add(t.number);
    seen.add(t.number);
  }
  return [...clashes].sort((a, b) => a - b);
}
