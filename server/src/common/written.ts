import { helper, type EntityManager } from '@mikro-orm/core';

/**
 * After a native (conditional) UPDATE that succeeded: the managed entity takes the values the statement wrote,
 * and so does its snapshot, so that nothing re-reads them (a refresh costs a SELECT) and no later flush writes
 * them again (a plain assignment would look like a change). Other unflushed changes of the entity stay pending.
 */
export function adoptWritten<T extends object>(em: EntityManager, entity: T, written: Partial<T>): void {
  Object.assign(entity, written);
  const wrapped = helper(entity);
  const now = em.getComparator().prepareEntity(entity) as Record<string, unknown>;
  const snapshot = { ...(wrapped.__originalEntityData as Record<string, unknown> | undefined) };
  for (const key of Object.keys(written)) snapshot[key] = now[key];
  wrapped.__originalEntityData = snapshot as typeof wrapped.__originalEntityData;
}
