/**
 * Who wants which instrument's quotes. A holder (a window's panel, the working orders, later the
 * positions) holds a set of instruments; an instrument is wanted while at least one holder holds it.
 * Changes report only the instruments that became wanted or stopped being wanted, so the feed is
 * asked once per instrument however many panels show it.
 */
export interface HoldingChange {
  /** Instruments nobody held before. */
  readonly added: readonly string[];
  /** Instruments nobody holds any more. */
  readonly removed: readonly string[];
}

export class QuoteHolders {
  private readonly byHolder = new Map<string, Set<string>>();
  private readonly counts = new Map<string, number>();

  /** Adds instruments to what a holder holds (holding one twice counts once). */
  hold(holder: string, instrumentIds: Iterable<string>): HoldingChange {
    let held = this.byHolder.get(holder);
    if (held === undefined) {
      held = new Set();
      this.byHolder.set(holder, held);
    }
    const added: string[] = [];
    for (const id of instrumentIds) {
      if (held.has(id)) continue;
      held.add(id);
      const count = (this.counts.get(id) ?? 0) + 1;
      this.counts.set(id, count);
      if (count === 1) added.push(id);
    }
    return { added, removed: [] };
  }

  /** Drops instruments from a holder; without a list, everything it holds. */
  release(holder: string, instrumentIds?: Iterable<string>): HoldingChange {
    const held = this.byHolder.get(holder);
    if (held === undefined) return { added: [], removed: [] };
    const removed: string[] = [];
    for (const id of [...(instrumentIds ?? held)]) {
      if (!held.delete(id)) continue;
      const count = (this.counts.get(id) ?? 1) - 1;
      if (count === 0) {
        this.counts.delete(id);
        removed.push(id);
      } else this.counts.set(id, count);
    }
    if (held.size === 0) this.byHolder.delete(holder);
    return { added: [], removed };
  }

  /** Makes a holder hold exactly these instruments (the working orders' set, recomputed). */
  set(holder: string, instrumentIds: ReadonlySet<string>): HoldingChange {
    const held = this.byHolder.get(holder) ?? new Set<string>();
    const removed = this.release(holder, [...held].filter((id) => !instrumentIds.has(id))).removed;
    const added = this.hold(holder, [...instrumentIds].filter((id) => !held.has(id))).added;
    if (instrumentIds.size === 0) this.byHolder.delete(holder);
    return { added, removed };
  }

  heldBy(holder: string): string[] {
    return [...(this.byHolder.get(holder) ?? [])].sort();
  }

  isWanted(instrumentId: string): boolean {
    return this.counts.has(instrumentId);
  }

  wanted(): string[] {
    return [...this.counts.keys()];
  }
}
