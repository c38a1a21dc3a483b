/**
 * Deadlines on promises, in one place and in two flavours, named for what the caller gets when time runs out:
 * - valueWithin: `undefined`, for a caller that goes on without the answer (a health check, a cache read);
 * - withDeadline: a rejection with the caller's error, for a caller that must fail (a publish, a connection).
 * Either way the promise itself is left to settle on its own, and the timer never keeps the process alive.
 */

/** Races `promise` against a timer that settles through `onTimeout`; the timer is cleared as soon as either wins. */
async function race<T, R>(promise: Promise<T>, ms: number, onTimeout: (resolve: (value: R) => void, reject: (error: Error) => void) => void): Promise<T | R> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<R>((resolve, reject) => {
    timer = setTimeout(() => onTimeout(resolve, reject), ms);
    timer.unref();
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** `promise`'s value, or undefined once `ms` have passed. */
export function valueWithin<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return race<T, undefined>(promise, ms, (resolve) => resolve(undefined));
}

/** `promise`'s value, or a rejection with `timeoutError()` once `ms` have passed. */
export function withDeadline<T>(promise: Promise<T>, ms: number, timeoutError: () => Error): Promise<T> {
  return race<T, never>(promise, ms, (_resolve, reject) => reject(timeoutError()));
}
