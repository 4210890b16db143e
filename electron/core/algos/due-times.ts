/**
 * When each parent wants to be looked at next: one absolute time per key, the earliest found in
 * O(log n). A binary min-heap with lazy deletion (an entry counts only while it is its key's time),
 * so re-arming a parent is one push and the scheduler holds one timer, for the earliest, whatever
 * the number of parents.
 */
export class DueTimes {
  private readonly at = new Map<string, number>();
  private heap: Array<{ readonly at: number; readonly key: string }> = [];

  get size(): number {
    return this.at.size;
  }

  get(key: string): number | undefined {
    return this.at.get(key);
  }

  /** Sets (or clears, with undefined) the key's time. */
  set(key: string, at: number | undefined): void {
    if (at === undefined) {
      this.at.delete(key);
      return;
    }
    if (this.at.get(key) === at) return;
    this.at.set(key, at);
    this.push({ at, key });
    // Stale entries are dropped as they surface; compact when they dominate.
    if (this.heap.length > 64 && this.heap.length > 4 * this.at.size) this.rebuild();
  }

  /** The earliest time of any key, or undefined. */
  earliest(): number | undefined {
    this.dropStale();
    return this.heap[0]?.at;
  }

  /** Removes and returns the keys due at `nowMs` (time ≤ now), earliest first. */
  takeDue(nowMs: number): string[] {
    const due: string[] = [];
    for (;;) {
      this.dropStale();
      const top = this.heap[0];
      if (top === undefined || top.at > nowMs) return due;
      this.pop();
      this.at.delete(top.key);
      due.push(top.key);
    }
  }

  clear(): void {
    this.at.clear();
    this.heap = [];
  }

  private dropStale(): void {
    for (let top = this.heap[0]; top !== undefined && this.at.get(top.key) !== top.at; top = this.heap[0]) this.pop();
  }

  private rebuild(): void {
    this.heap = [];
    for (const [key, at] of this.at) this.push({ at, key });
  }

  private push(entry: { readonly at: number; readonly key: string }): void {
    const h = this.heap;
    h.push(entry);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent]!.at <= entry.at) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = entry;
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop();
    if (last === undefined || h.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const child = r < h.length && h[r]!.at < h[l]!.at ? r : l;
      if (h[child]!.at >= last.at) break;
      h[i] = h[child]!;
      i = child;
    }
    h[i] = last;
  }
}
