import type { EntityManager } from '@mikro-orm/core';
import type { Sitting } from '../sittings/sitting.entity';
import type { User } from '../users/user.entity';
import { SittingEvent, SittingEventKind } from './sitting-event.entity';

/** Appends to a sitting's trail; the row is flushed with the change it records. */
export function recordEvent(em: EntityManager, sitting: Sitting, kind: SittingEventKind, actor: User | null, at: Date, detail?: string): void {
  em.create(SittingEvent, { sitting, kind, actor, at, detail: detail ?? null });
}

export { SittingEventKind };
