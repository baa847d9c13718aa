import { Utils, wrap, type EntityManager } from '@mikro-orm/core';

/** objects made by `plainRead`: complete as read, never managed by an EntityManager */
const plainReads = new WeakSet<object>();

/**
 * A row read without the ORM, as an object of the entity's class (type-graphql hands a field resolver its parent as an
 * instance of the type, and would otherwise construct one per field) holding only the given fields. The fields are
 * its own properties, so MikroORM's relation accessors on the class never run. Only read it: it cannot be flushed.
 */
export function plainRead<T extends object>(type: abstract new (...args: never[]) => T, fields: Partial<T>): T {
  const read = Object.create(type.prototype as object) as T;
  for (const [key, value] of Object.entries(fields))
    Object.defineProperty(read, key, { value, writable: true, enumerable: true, configurable: true });
  plainReads.add(read);
  return read;
}

/** whether `value` was made by `plainRead` (its collections are not there: read them by its id) */
export const isPlainRead = (value: object): boolean => plainReads.has(value);

/**
 * Whether a related object is there to be read: the exam page's plain reads (exams/exam-page.read.ts) arrive with every
 * relation the page shows in place, and a managed entity whose relation is loaded needs no populate either.
 */
export function isLoaded(value: unknown): boolean {
  return (
    typeof value !== 'object' ||
    value === null ||
    plainReads.has(value) ||
    !Utils.isEntity(value) ||
    wrap(value, true).isInitialized()
  );
}

/** `entity[key]`, loaded first when `entity` is a managed entity that has not loaded it (an inverse one-to-one reads null until then). */
export async function related<T extends object, K extends keyof T & string>(
  em: EntityManager,
  entity: T,
  key: K,
): Promise<T[K]> {
  if (plainReads.has(entity) || !Utils.isEntity(entity)) return entity[key];
  const value = entity[key];
  if (value != null && isLoaded(value)) return value;
  await em.populate(entity, [key] as never);
  return entity[key];
}
