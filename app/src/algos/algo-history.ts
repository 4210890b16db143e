import type { AlgoParentView } from '../../../shared/contract/algos';

/** One point of a parent's chart: seconds on the desk's clock, executed and scheduled quantity, the market price. */
export interface AlgoPoint {
  readonly t: number;
  readonly executed: number;
  readonly scheduled: number;
  readonly price: number | null;
}

const MAX_POINTS = 2_000;

/**
 * Each parent's progress as the stream told it, for the chart. Numbers here are for drawing only
 * (a plot needs them); every figure shown as text stays a decimal string from the desk.
 */
export class AlgoHistory {
  private readonly series = new Map<string, AlgoPoint[]>();
  private readonly listeners = new Set<() => void>();
  private revision = 0;

  /** Records the parents' latest views at `nowMs` (desk clock), with the instrument's price then. */
  record(parents: Iterable<AlgoParentView>, nowMs: number, priceOf: (instrumentId: string) => string | undefined): void {
    let changed = false;
    for (const p of parents) {
      const points = this.series.get(p.parentId) ?? [];
      const last = points.at(-1);
      const price = priceOf(p.instrumentId);
      const point: AlgoPoint = { t: nowMs / 1_000, executed: Number(p.cumQty), scheduled: Number(p.scheduledQty), price: price === undefined ? null : Number(price) };
      if (last !== undefined && last.executed === point.executed && last.scheduled === point.scheduled && last.price === point.price) continue;
      if (last !== undefined && point.t < last.t) continue;
      points.push(point);
      if (points.length > MAX_POINTS) points.splice(0, points.length - MAX_POINTS);
      this.series.set(p.parentId, points);
      changed = true;
    }
    if (changed) {
      this.revision++;
      for (const l of this.listeners) l();
    }
  }

  points(parentId: string): readonly AlgoPoint[] {
    return this.series.get(parentId) ?? [];
  }

  get version(): number {
    return this.revision;
  }

  watch(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export const algoHistory = new AlgoHistory();
