/**
 * When React hears of the store's changes. A change the desk's stream brings (hundreds of messages a
 * second: orders, executions, alerts) reaches the components on the window's next live frame, once
 * for all the messages before it, so their DOM writes are drawn by the frame that draws the grids' and
 * no message draws a frame of its own. A person's own change (typing, a dialog, the selection) is
 * heard at once, as React expects of a controlled input. A component still renders the store as it is
 * when it renders: only the notice waits.
 */
export class FramedNotifier {
  private streaming = 0;
  private readonly waiting = new Set<() => void>();
  private asked = false;

  constructor(private readonly nextFrame: (callback: () => void) => void) {}

  /** Runs the stream's update of the store: the notices it causes wait for the frame. */
  fromStream(apply: () => void): void {
    this.streaming++;
    try {
      apply();
    } finally {
      this.streaming--;
    }
  }

  /** A subscribe for useSyncExternalStore, over the store's own. */
  wrap(subscribe: (listener: () => void) => () => void): (listener: () => void) => () => void {
    return (listener) => {
      const unsubscribe = subscribe(() => {
        if (this.streaming === 0) {
          this.waiting.delete(listener);
          listener();
          return;
        }
        this.waiting.add(listener);
        if (this.asked) return;
        this.asked = true;
        this.nextFrame(() => this.flush());
      });
      return () => {
        unsubscribe();
        this.waiting.delete(listener);
      };
    };
  }

  private flush(): void {
    this.asked = false;
    const listeners = [...this.waiting];
    this.waiting.clear();
    for (const listener of listeners) listener();
  }
}
