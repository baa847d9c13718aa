/**
 * Who has an exam page open right now (R2.1). A student is online at an exam
 * while at least one of their sockets holds a subscription to it.
 */
export class Presence {
  private readonly holders = new Map<string, { count: number; since: Date }>();

  private key(examId: string, studentId: string) {
    return `${examId}:${studentId}`;
  }

  /** true when this is the student's first open page at the exam */
  join(examId: string, studentId: string, now: Date): boolean {
    const key = this.key(examId, studentId);
    const held = this.holders.get(key);
    if (held) {
      held.count += 1;
      return false;
    }
    this.holders.set(key, { count: 1, since: now });
    return true;
  }

  /** true when the student's last open page at the exam has gone */
  leave(examId: string, studentId: string): boolean {
    const key = this.key(examId, studentId);
    const held = this.holders.get(key);
    if (!held) return false;
    held.count -= 1;
    if (held.count > 0) return false;
    this.holders.delete(key);
    return true;
  }

  onlineSince(examId: string, studentId: string): Date | null {
    return this.holders.get(this.key(examId, studentId))?.since ?? null;
  }
}
