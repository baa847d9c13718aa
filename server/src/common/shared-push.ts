import { createSourceEventStream, execute, type ExecutionArgs, type ExecutionResult } from 'graphql';

/**
 * A push whose GraphQL execution does not depend on who receives it: `root` is executed once per operation text and
 * variables for every subscriber the event reaches, and each subscriber's result is then `personalize`d (e.g. the
 * board's tiles put in that student's order) without executing again. Whoever yields one vouches that the fields
 * executed under `root` read nothing of the subscriber (their visibility is decided before the push is yielded).
 */
export class SharedPush<Root extends object = object> {
  constructor(
    readonly root: Root,
    readonly personalize: (result: ExecutionResult) => ExecutionResult | Promise<ExecutionResult> = (result) => result,
  ) {}
}

/**
 * A value of a push serialized once and sent as is in every frame that carries it (http/ws-transport.ts copies it
 * into the frame): a push shared by thousands of subscribers (the ticket board) becomes JSON once, not once a socket.
 * Held as UTF-8 pieces in order, so a per-subscriber arrangement of shared pieces costs one copy into the frame.
 */
export class PreSerialized {
  private constructor(
    readonly parts: readonly Buffer[],
    readonly byteLength: number,
  ) {}

  static json(json: string): PreSerialized {
    const bytes = Buffer.from(json);
    return new PreSerialized([bytes], bytes.length);
  }

  /** the JSON array of `items` (each one element's JSON) in the order `order` (indexes into `items`) */
  static array(items: readonly Buffer[], order: ArrayLike<number>): PreSerialized {
    if (order.length === 0) return PreSerialized.json('[]');
    const parts: Buffer[] = new Array<Buffer>(order.length * 2 + 1);
    let byteLength = order.length + 1; // the brackets and commas
    parts[0] = OPEN;
    for (let i = 0; i < order.length; i++) {
      const item = items[order[i]];
      parts[2 * i + 1] = item;
      parts[2 * i + 2] = i + 1 < order.length ? COMMA : CLOSE;
      byteLength += item.length;
    }
    return new PreSerialized(parts, byteLength);
  }
}
const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');

/** executions of one shared root, by operation (document, name and variables); forgotten with the root */
const executions = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();
/** a number per distinct document object (request-limits shares one object per operation text) */
const documentIds = new WeakMap<object, number>();
let documentCount = 0;

/** how many shared executions have run: a spec proves one per audience with it */
export const sharedExecutions = { count: 0 };

function operationKey(args: ExecutionArgs): string {
  let id = documentIds.get(args.document);
  if (id === undefined) documentIds.set(args.document, (id = ++documentCount));
  return `${id}\u0000${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? null)}`;
}

/** one push's result: a shared root executed once for every subscriber with the same operation, anything else as graphql-js would */
export function executePush(
  args: ExecutionArgs,
  payload: unknown,
  run: typeof execute = execute,
): ExecutionResult | Promise<ExecutionResult> {
  if (!(payload instanceof SharedPush)) return run({ ...args, rootValue: payload });
  let byOperation = executions.get(payload.root);
  if (!byOperation) executions.set(payload.root, (byOperation = new Map()));
  const key = operationKey(args);
  let result = byOperation.get(key);
  if (!result) {
    sharedExecutions.count++;
    result = Promise.resolve(run({ ...args, rootValue: payload.root }));
    byOperation.set(key, result);
  }
  return result.then((shared) => payload.personalize(shared));
}

/**
 * graphql-js's `subscribe`, with each push executed by `executePush`: the source stream (the subscribe step, with its
 * access checks) is the subscriber's own; only the execution of a shared push is shared.
 */
export async function subscribeSharing(
  args: ExecutionArgs,
  run: typeof execute = execute,
): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return source as ExecutionResult;
  const iterator = (source as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  const closeQuietly = async () => {
    try {
      await iterator.return?.();
    } catch {
      // the execution's error is the one reported
    }
  };
  const mapped = async (step: IteratorResult<unknown>): Promise<IteratorResult<ExecutionResult>> => {
    if (step.done) return step as IteratorResult<ExecutionResult>;
    try {
      return { value: await executePush(args, step.value, run), done: false };
    } catch (error) {
      await closeQuietly();
      throw error;
    }
  };
  const pushes: AsyncIterableIterator<ExecutionResult> &
    Required<Pick<AsyncIterator<ExecutionResult>, 'return' | 'throw'>> = {
    next: async () => mapped(await iterator.next()),
    return: async () => (iterator.return ? mapped(await iterator.return()) : { value: undefined, done: true }),
    throw: async (error: unknown) => {
      if (iterator.throw) return mapped(await iterator.throw(error));
      await closeQuietly();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return pushes;
    },
  };
  return pushes;
}
