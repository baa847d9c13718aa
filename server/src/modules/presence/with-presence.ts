import { SubscriptionQueue } from '../../common/subscription-queue';

/**
 * Wraps a subscription's stream so `onEnd` runs once when it ends for any
 * reason: the client completed it, the socket closed, or a heartbeat was missed.
 * (An async generator's `finally` would wait for the next event, which may never come.)
 */
export function onStreamEnd<T>(source: AsyncIterable<T>, onEnd: () => void): AsyncIterableIterator<T> {
  // a subscription's own queue says when it ends itself: no wrapper (thousands of subscriptions hold one each)
  if (source instanceof SubscriptionQueue) {
    source.whenEnded(onEnd);
    return source as SubscriptionQueue<T>;
  }
  const inner = source[Symbol.asyncIterator]();
  let ended = false;
  const end = () => {
    if (!ended) {
      ended = true;
      onEnd();
    }
  };
  return {
    next: async () => {
      const result = await inner.next();
      if (result.done) end();
      return result;
    },
    return: async (value?: unknown) => {
      end();
      await inner.return?.(value);
      return { done: true, value: undefined };
    },
    throw: async (error?: unknown) => {
      end();
      await inner.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
