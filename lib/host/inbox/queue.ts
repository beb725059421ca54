/**
 * The inbox's messages waiting for a run, first in first out. The sync command
 * takes them one at a time; a consumer waiting on an empty queue is woken by the
 * next post.
 */
export interface MessageQueue<T> {
  push(item: T): void;
  /** The next message, or null after `timeoutMs` without one. */
  take(timeoutMs: number): Promise<T | null>;
  readonly size: number;
}

export function createMessageQueue<T>(): MessageQueue<T> {
  const items: T[] = [];
  const waiters: ((item: T) => void)[] = [];
  return {
    push(item) {
      const waiter = waiters.shift();
      if (waiter) waiter(item);
      else items.push(item);
    },
    take(timeoutMs) {
      if (items.length > 0) return Promise.resolve(items.shift() as T);
      return new Promise((resolve) => {
        const waiter = (item: T) => {
          clearTimeout(timer);
          resolve(item);
        };
        const timer = setTimeout(() => {
          const i = waiters.indexOf(waiter);
          if (i >= 0) waiters.splice(i, 1);
          resolve(null);
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    get size() {
      return items.length;
    },
  };
}
