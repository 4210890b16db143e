import type { PositionRow } from '../../../shared/contract/positions';
import type { DeskStreamMessage } from '../../../shared/contract/streams';

/**
 * The renderer's positions, outside the zustand store like the quotes (they are valued again as marks
 * move): a snapshot replaces them, deltas upsert by key, and a row never goes back to a lower version.
 * Listeners hear "something changed" and read what they need (the grid on its frame, the chart on its tick).
 */
export class PositionBook {
  private rows = new Map<string, PositionRow>();
  private readonly listeners = new Set<() => void>();
  /** The rows in key order, kept until something changes; a new key re-sorts the map once. */
  private list: readonly PositionRow[] | undefined;
  private unsorted = false;

  /** Every position, in key order (the grid's own order: its sorts then run on sorted input). */
  all(): readonly PositionRow[] {
    if (this.unsorted) {
      this.rows = new Map([...this.rows].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
      this.unsorted = false;
    }
    this.list ??= [...this.rows.values()];
    return this.list;
  }

  get size(): number {
    return this.rows.size;
  }

  /** Applies a stream message; false when it was not about positions. */
  apply(message: DeskStreamMessage): boolean {
    if (message.kind === 'snapshot') {
      this.rows = new Map((message.positions ?? []).map((r) => [r.key, r]));
      this.unsorted = true;
    } else if (message.kind === 'positions') {
      for (const row of message.rows) {
        const held = this.rows.get(row.key);
        if (held === undefined) this.unsorted = true;
        if (held === undefined || held.version < row.version) this.rows.set(row.key, row);
      }
    } else return false;
    this.list = undefined;
    this.listeners.forEach((l) => l());
    return true;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export const positionBook = new PositionBook();
