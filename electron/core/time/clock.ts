/** Time is injected: nothing in the core reads Date.now() or calls setTimeout directly. */
export interface Clock {
  now(): Date;
  /** `background`: housekeeping (group sync, checkpoints, snapshot checks) that does not keep the process alive by itself. */
  setTimeout(fn: () => void, ms: number, options?: { readonly background?: boolean }): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export interface TimerHandle {
  readonly id: number;
}

export const systemClock: Clock = (() => {
  const timers = new Map<number, { readonly timeout: NodeJS.Timeout } | { readonly immediate: NodeJS.Immediate }>();
  let next = 1;
  return {
    now: () => new Date(),
    setTimeout(fn, ms, options) {
      const id = next++;
      const run = () => {
        timers.delete(id);
        fn();
      };
      // "As soon as the thread is free" (the next slice of a long job, the end of a turn): Node's
      // setTimeout(0) waits at least 1 ms, an idle millisecond per 8 ms slice of received messages;
      // an immediate runs after the pending I/O instead, so sockets and timers still get their turn.
      if (ms <= 0) {
        const immediate = setImmediate(run);
        if (options?.background === true) immediate.unref();
        timers.set(id, { immediate });
      } else {
        const timeout = setTimeout(run, ms);
        if (options?.background === true) timeout.unref();
        timers.set(id, { timeout });
      }
      return { id };
    },
    clearTimeout(handle) {
      const t = timers.get(handle.id);
      if (t !== undefined && 'immediate' in t) clearImmediate(t.immediate);
      else if (t !== undefined) clearTimeout(t.timeout);
      timers.delete(handle.id);
    },
  };
})();

/**
 * The clock whose timers never throw into the event loop: a failing timer (a commit on a full disk)
 * is reported to `onError` and the process stays up.
 */
export function guardedClock(base: Clock, onError: (error: unknown) => void): Clock {
  return {
    now: () => base.now(),
    setTimeout: (fn, ms, options) =>
      base.setTimeout(
        () => {
          try {
            fn();
          } catch (error) {
            onError(error);
          }
        },
        ms,
        options,
      ),
    clearTimeout: (handle) => base.clearTimeout(handle),
  };
}

/**
 * Calls `fn` every `ms` on the clock until stopped (each call scheduled when the last one returned:
 * a slow call delays the next, never piles them up).
 */
export function every(clock: Clock, ms: number, fn: () => void, options?: { readonly background?: boolean }): { stop(): void } {
  let timer: TimerHandle | undefined;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    try {
      fn();
    } finally {
      if (!stopped) timer = clock.setTimeout(tick, ms, options);
    }
  };
  timer = clock.setTimeout(tick, ms, options);
  return {
    stop() {
      stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
    },
  };
}

/**
 * The system clock moved to start at `start` (it runs at the system's speed from there): a host
 * started "on another day" for end-to-end tests, never on the system's date (`--start-time`).
 */
export function startingAt(start: Date, base: Clock = systemClock): Clock {
  const offset = start.getTime() - base.now().getTime();
  return {
    now: () => new Date(base.now().getTime() + offset),
    setTimeout: (fn, ms, options) => base.setTimeout(fn, ms, options),
    clearTimeout: (handle) => base.clearTimeout(handle),
  };
}
