/**
 * Runs `load` on request, one at a time: a request made while a load runs is remembered, and
 * every such request is served by a single load after it. So an order that changes at trading
 * speed costs at most one call in flight and one waiting, and the last answer is always fresh.
 */
export interface RefreshQueue {
  request(): void;
  /** Stops: no new load starts (one already running finishes). */
  dispose(): void;
}

export function createRefreshQueue(load: () => Promise<void>): RefreshQueue {
  let running = false;
  let again = false;
  let disposed = false;

  const run = async () => {
    running = true;
    try {
      do {
        again = false;
        try {
          await load();
        } catch {
          // `load` reports its own failures; the queue only orders the calls.
        }
      } while (again && !disposed);
    } finally {
      running = false;
    }
  };

  return {
    request() {
      if (disposed) return;
      if (running) {
        again = true;
        return;
      }
      void run();
    },
    dispose() {
      disposed = true;
    },
  };
}
