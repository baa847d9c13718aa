import { createSourceEventStream, execute, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Context } from '../context';
import { SubscriptionQueue, ViewedPushes, type PushConsumer } from './subscription-queue';

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
  /**
   * What JSON.stringify writes in its place: the WebSocket transport (http/ws-transport.ts) answers a marker and puts
   * the bytes there itself; anywhere else, the value itself (parsed back: correct, but slow).
   */
  static serializeAs: (value: PreSerialized) => unknown = (value) => JSON.parse(value.bytes().toString());

  private constructor(
    /** the JSON of each element, or of the whole value when `order` is null */
    private readonly items: readonly Buffer[],
    /** the array's elements as indexes into `items`, in order */
    private readonly order: ArrayLike<number> | null,
    readonly byteLength: number,
  ) {}

  toJSON(): unknown {
    return PreSerialized.serializeAs(this);
  }

  static json(json: string): PreSerialized {
    const bytes = Buffer.from(json);
    return new PreSerialized([bytes], null, bytes.length);
  }

  /** the JSON array of `items` (each one element's JSON) in the order `order` (indexes into `items`) */
  static array(items: readonly Buffer[], order: ArrayLike<number>): PreSerialized {
    if (order.length === 0) return PreSerialized.json('[]');
    let byteLength = order.length + 1; // the brackets and commas
    for (let i = 0; i < order.length; i++) byteLength += items[order[i]].length;
    return new PreSerialized(items, order, byteLength);
  }

  /** copies its bytes into `target` at `offset` (each element once, straight into the frame); answers the offset after them */
  writeInto(target: Uint8Array, offset: number): number {
    const { items, order } = this;
    if (!order) {
      target.set(items[0], offset);
      return offset + items[0].length;
    }
    target[offset++] = OPEN;
    for (let i = 0; i < order.length; i++) {
      if (i > 0) target[offset++] = COMMA;
      const item = items[order[i]];
      target.set(item, offset);
      offset += item.length;
    }
    target[offset++] = CLOSE;
    return offset;
  }

  /** its bytes on their own */
  bytes(): Buffer {
    const bytes = Buffer.allocUnsafe(this.byteLength);
    this.writeInto(bytes, 0);
    return bytes;
  }
}
const OPEN = 0x5b; // [
const COMMA = 0x2c; // ,
const CLOSE = 0x5d; // ]

/** a shared root's execution for one operation: its result once it has one, so later pushes take it without a promise */
interface SharedExecution {
  running: Promise<ExecutionResult>;
  result?: ExecutionResult;
}
/** executions of one shared root, by operation (document, name and variables); forgotten with the root */
const executions = new WeakMap<object, Map<string, SharedExecution>>();
/** each subscription's operation key, made once (a subscription's execution arguments are one object for its life) */
const operationKeys = new WeakMap<ExecutionArgs, string>();
/** a number per distinct document object (request-limits shares one object per operation text) */
const documentIds = new WeakMap<object, number>();
let documentCount = 0;

/** how many shared executions have run: a spec proves one per audience with it */
export const sharedExecutions = { count: 0 };

function operationKey(args: ExecutionArgs): string {
  let key = operationKeys.get(args);
  if (key !== undefined) return key;
  let id = documentIds.get(args.document);
  if (id === undefined) documentIds.set(args.document, (id = ++documentCount));
  key = `${id}\u0000${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? null)}`;
  operationKeys.set(args, key);
  return key;
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
  let execution = byOperation.get(key);
  if (!execution) {
    sharedExecutions.count++;
    const ran = run({ ...args, rootValue: payload.root });
    if (ran instanceof Promise) {
      const running: SharedExecution = { running: ran };
      // its failure reaches every push through `running`
      ran.then((result) => (running.result = result)).catch(() => {});
      execution = running;
    } else execution = { running: Promise.resolve(ran), result: ran };
    byOperation.set(key, execution);
  }
  const { result } = execution;
  if (result) return payload.personalize(result);
  return execution.running.then((shared) => payload.personalize(shared));
}

/**
 * graphql-js's `subscribe`, with each push executed by `executePush`: the source stream (the subscribe step, with its
 * access checks) is the subscriber's own; only the execution of a shared push is shared. A subscription whose stream
 * is its own queue, over a transport that can send a push itself (`Context.sendNext`), is driven (see `driven`).
 */
export async function subscribeSharing(
  args: ExecutionArgs,
  run: typeof execute = execute,
): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return source as ExecutionResult;
  const context = args.contextValue as Context | undefined;
  if (context?.sendNext) {
    const sender = context as Pick<Required<Context>, 'sendNext'>;
    if (source instanceof SubscriptionQueue) return new DrivenPushes(args, source, sender, run);
    if (source instanceof ViewedPushes && source.source instanceof SubscriptionQueue)
      return new DrivenPushes(args, source.source, sender, run, source.view);
  }
  const iterator = (source as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  const closeQuietly = async () => {
    try {
      await iterator.return?.();
    } catch {
      // the execution's error is the one reported
    }
  };
  const failed = (error: unknown): Promise<never> =>
    closeQuietly().then(() => {
      throw error;
    });
  // no async function per push: an execution that needed no read is a value, not a chain of promises
  const mapped = (
    step: IteratorResult<unknown>,
  ): IteratorResult<ExecutionResult> | Promise<IteratorResult<ExecutionResult>> => {
    if (step.done) return step as IteratorResult<ExecutionResult>;
    let result: ExecutionResult | Promise<ExecutionResult>;
    try {
      result = executePush(args, step.value, run);
    } catch (error) {
      return failed(error);
    }
    if (!(result instanceof Promise)) return { value: result, done: false };
    return result.then((value) => ({ value, done: false }), failed);
  };
  const pushes: AsyncIterableIterator<ExecutionResult> &
    Required<Pick<AsyncIterator<ExecutionResult>, 'return' | 'throw'>> = {
    next: () => iterator.next().then(mapped),
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

/**
 * A subscription whose pushes are executed and sent as they arrive, in the turn the event is delivered in (see
 * SubscriptionQueue `drive`), rather than pulled one by one through graphql-ws's loop and a chain of promises each:
 * a release to thousands costs each student a synchronous execution and a write. The frames are graphql-ws's own
 * (`sendNext` runs its `onNext` hook and writes its `next` message), in order, one at a time: the next push waits until
 * the socket has taken the last frame, so a slow socket's pushes wait in its bounded queue as before.
 *
 * To graphql-ws it is an iterator whose `next()` settles once, when the queue has ended (done: graphql-ws then sends
 * `complete` if the client has not completed it itself) or a push failed (the error: graphql-ws sends `error`, as when
 * an iterated push fails). Once the queue has ended, no push is sent: a push still being built when the client
 * completes the subscription or the socket closes is dropped. A class: thousands of subscriptions hold one each for
 * hours, and its methods cost nothing per subscription.
 */
class DrivenPushes implements AsyncIterableIterator<ExecutionResult>, PushConsumer<unknown> {
  private failure?: { error: unknown };
  /** the queue has drained (see PushConsumer); `next()`'s promise settles then */
  private over = false;
  private settle?: () => void;
  /** ws's callback once the socket has taken a frame (one per subscription, not per push) */
  private readonly written = (error?: Error | null) => (error ? this.fail(error) : this.queue.taken());

  constructor(
    private readonly args: ExecutionArgs,
    private readonly queue: SubscriptionQueue<unknown>,
    private readonly context: Pick<Required<Context>, 'sendNext'>,
    private readonly run: typeof execute,
    /** what each push becomes, or `undefined` to skip it (ViewedPushes) */
    private readonly view?: (push: unknown) => unknown,
  ) {
    queue.drive(this);
  }

  handle(push: unknown): void {
    if (!this.view) return this.build(push);
    let viewed: unknown;
    try {
      viewed = this.view(push);
    } catch (error) {
      return this.fail(error);
    }
    if (viewed instanceof Promise)
      viewed.then(
        (later: unknown) => this.buildViewed(later),
        (error: unknown) => this.fail(error),
      );
    else this.buildViewed(viewed);
  }

  /** a push the view skipped is done with at once */
  private buildViewed(push: unknown): void {
    if (push === undefined) this.queue.taken();
    else this.build(push);
  }

  private build(push: unknown): void {
    let result: ExecutionResult | Promise<ExecutionResult>;
    try {
      result = executePush(this.args, push, this.run);
    } catch (error) {
      return this.fail(error);
    }
    if (result instanceof Promise)
      result.then(
        (value) => this.send(value),
        (error: unknown) => this.fail(error),
      );
    else this.send(result);
  }

  drained(): void {
    this.over = true;
    this.settle?.();
  }

  private send(result: ExecutionResult): void {
    if (this.queue.closed) return this.queue.taken();
    try {
      this.context.sendNext(this.args, result, this.written);
    } catch (error) {
      this.fail(error);
    }
  }

  private fail(error: unknown): void {
    this.failure ??= { error };
    void this.queue.return();
    this.queue.taken();
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    const ended = this.over ? Promise.resolve() : new Promise<void>((resolve) => (this.settle = resolve));
    return ended.then(() => {
      if (this.failure) throw this.failure.error;
      return { value: undefined, done: true };
    });
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    await this.queue.return();
    return { value: undefined, done: true };
  }

  async throw(error: unknown): Promise<IteratorResult<ExecutionResult>> {
    await this.queue.return();
    throw error;
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}
