import { Utils, wrap, type EntityManager } from '@mikro-orm/core';

/**
 * What marks an object made by `plainRead` (complete as read, never managed by an EntityManager): a property of the
 * prototype they all share (see `shadowOf`), not a WeakSet entry each. A release makes some 15,000 plain reads, and a
 * weak collection of them is work for every garbage collection until they go.
 */
const PLAIN_READ = Symbol('plainRead');

/**
 * Per entity class, the prototype plain reads get: the class's, with every field a plain read has set shadowed by a
 * writable data property, so setting it makes an own property and MikroORM's accessors on the class (relations,
 * propagation) never run. Objects made this way keep V8's fast shape (defining each property did not, and cost
 * thousands of dictionary-mode objects a release).
 */
const shadows = new WeakMap<object, { prototype: object; shadowed: Set<string> }>();

function shadowOf(type: abstract new (...args: never[]) => unknown, keys: readonly string[]): object {
  let shadow = shadows.get(type);
  if (!shadow)
    shadows.set(
      type,
      (shadow = {
        prototype: Object.create(type.prototype as object, { [PLAIN_READ]: { value: true } }) as object,
        shadowed: new Set(),
      }),
    );
  for (const key of keys) {
    if (shadow.shadowed.has(key)) continue;
    shadow.shadowed.add(key);
    Object.defineProperty(shadow.prototype, key, { value: undefined, writable: true, configurable: true });
  }
  return shadow.prototype;
}

/**
 * A row read without the ORM, as an object of the entity's class (type-graphql hands a field resolver its parent as an
 * instance of the type, and would otherwise construct one per field) holding only the given fields. The fields are
 * its own properties, so MikroORM's relation accessors on the class never run. Only read it: it cannot be flushed.
 */
export function plainRead<T extends object>(type: abstract new (...args: never[]) => T, fields: Partial<T>): T {
  const keys = Object.keys(fields);
  const read = Object.create(shadowOf(type, keys)) as Record<string, unknown>;
  for (const key of keys) read[key] = (fields as Record<string, unknown>)[key];
  return read as T;
}

/** whether `value` was made by `plainRead` (its collections are not there: read them by its id) */
export const isPlainRead = (value: object): boolean => (value as { [PLAIN_READ]?: true })[PLAIN_READ] === true;

/**
 * Whether a related object is there to be read: the exam page's plain reads (exams/exam-page.read.ts) arrive with every
 * relation the page shows in place, and a managed entity whose relation is loaded needs no populate either.
 */
export function isLoaded(value: unknown): boolean {
  return (
    typeof value !== 'object' ||
    value === null ||
    isPlainRead(value) ||
    !Utils.isEntity(value) ||
    wrap(value, true).isInitialized()
  );
}

/** a value, or the promise of one when it had to be read: what a field resolver returns without a promise when nothing is read */
export type Maybe<T> = T | Promise<T>;

/** `then` without a promise when `value` is there already (a push builds thousands of results from rows read once) */
export function thenMaybe<T, U>(value: Maybe<T>, next: (value: T) => Maybe<U>): Maybe<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}

/**
 * `related`, answered without a promise when the relation is there already (plain reads, loaded relations): each
 * pushed sitting's fields read relations its batch read has in place, and a promise each is most of their cost.
 */
export function relatedNow<T extends object, K extends keyof T & string>(
  em: EntityManager,
  entity: T,
  key: K,
): Maybe<T[K]> {
  if (isPlainRead(entity) || !Utils.isEntity(entity)) return entity[key];
  const value = entity[key];
  if (value != null && isLoaded(value)) return value;
  return em.populate(entity, [key] as never).then(() => entity[key]);
}

/** `entity[key]`, loaded first when `entity` is a managed entity that has not loaded it (an inverse one-to-one reads null until then). */
export async function related<T extends object, K extends keyof T & string>(
  em: EntityManager,
  entity: T,
  key: K,
): Promise<T[K]> {
  return relatedNow(em, entity, key);
}
