import type { AlertLevel, AlertView } from '../../../shared/contract/views';
import { ALERTS_KEPT } from '../../../shared/contract/views';
import type { DeskEvent } from '../journal/desk-events';
import { AlertLogSnapshots } from './alert-log-snapshot';

export const ALERT_LEVELS: readonly AlertLevel[] = ['error', 'warning', 'info'];
const NONE: readonly AlertView[] = Object.freeze([]);

/**
 * The desk's alert list: a fold over the journaled alerts (`alertRaised`, `alertsAcknowledged`),
 * live and on replay alike, so every window and every restart sees the same list (it is in the
 * snapshot a new subscriber gets, and in the desk's snapshots: `snapshots`).
 *
 * - Repeats collapse: an alert of the same level, code, broker and order whose wording differs only
 *   in its numbers (`collapseKey`) is one row, with a count, its first and latest time, and the
 *   latest wording. A repeat after an acknowledgement needs attention again: it clears it.
 * - Bounded per level (`ALERTS_KEPT`): the row whose latest occurrence is oldest goes first, and only
 *   to make room for one of its own level, so a flood of warnings never pushes out an overfill.
 */
export class AlertLog {
  /** Per level: collapse key → row, oldest latest occurrence first (a repeat moves its row to the end). */
  private readonly levels: Record<AlertLevel, Map<string, AlertView>> = { error: new Map(), warning: new Map(), info: new Map() };
  /** Row id → its collapse key (every kept row). */
  private readonly keys = new Map<string, string>();
  readonly snapshots: AlertLogSnapshots;

  constructor(private readonly limits: Readonly<Record<AlertLevel, number>> = ALERTS_KEPT) {
    this.snapshots = new AlertLogSnapshots(this);
  }

  /** The fold: one journaled event. Returns the rows it added or changed (to publish). */
  apply(event: DeskEvent, seq: number): readonly AlertView[] {
    if (event.type === 'alertRaised') return [this.raise(event, seq)];
    if (event.type === 'alertsAcknowledged') return this.acknowledge(event.alertIds, event.by, event.at);
    return NONE;
  }

  /** Every kept row, by latest occurrence, oldest first. */
  views(): AlertView[] {
    const all: AlertView[] = [];
    for (const level of ALERT_LEVELS) for (const row of this.levels[level].values()) all.push(row);
    return all.sort(byLatest);
  }

  get(id: string): AlertView | undefined {
    const key = this.keys.get(id);
    if (key === undefined) return undefined;
    for (const level of ALERT_LEVELS) {
      const row = this.levels[level].get(key);
      if (row?.id === id) return row;
    }
    return undefined;
  }

  /** The rows of one level, oldest latest occurrence first (the snapshot section writes them so). */
  rowsOf(level: AlertLevel): IterableIterator<AlertView> {
    return this.levels[level].values();
  }

  /** Puts a row back as a snapshot held it (into a list restored in the same order). */
  restoreRow(row: AlertView): void {
    const key = collapseKey(row);
    const rows = this.levels[row.level];
    if (rows.has(key) || this.keys.has(row.id)) throw new Error(`alert ${row.id} is in the snapshot twice`);
    rows.set(key, row);
    this.keys.set(row.id, key);
  }

  get size(): number {
    return this.keys.size;
  }

  clear(): void {
    for (const level of ALERT_LEVELS) this.levels[level].clear();
    this.keys.clear();
  }

  private raise(event: Extract<DeskEvent, { type: 'alertRaised' }>, seq: number): AlertView {
    const rows = this.levels[event.level];
    const key = collapseKey(event);
    const existing = rows.get(key);
    let row: AlertView;
    if (existing === undefined) {
      row = alertRow({ id: `A-${seq}`, level: event.level, message: event.message, at: event.at, code: event.code, orderId: event.orderId, broker: event.broker });
      this.keys.set(row.id, key);
    } else {
      rows.delete(key); // back in at the end: the newest
      row = alertRow({ ...existing, message: event.message, at: event.at, count: (existing.count ?? 1) + 1, firstAt: existing.firstAt ?? existing.at, acknowledged: undefined });
    }
    rows.set(key, row);
    if (rows.size > this.limits[event.level]) {
      const [oldestKey, oldest] = rows.entries().next().value as [string, AlertView];
      rows.delete(oldestKey);
      this.keys.delete(oldest.id);
    }
    return row;
  }

  private acknowledge(ids: readonly string[], by: string, at: string): AlertView[] {
    const changed: AlertView[] = [];
    for (const id of ids) {
      const row = this.get(id);
      if (row === undefined || row.acknowledged !== undefined) continue;
      const acknowledged = alertRow({ ...row, acknowledged: { by, at } });
      this.levels[row.level].set(this.keys.get(id) as string, acknowledged); // in place: acknowledging is no occurrence
      changed.push(acknowledged);
    }
    return changed;
  }
}

/**
 * Alerts that are "the same again": same level, kind, broker and order, and the same wording but for
 * its numbers (sequence numbers, quantities, ids with a serial number).
 */
export function collapseKey(a: Pick<AlertView, 'level' | 'code' | 'broker' | 'orderId' | 'message'>): string {
  return `${a.level}\u0000${a.code ?? ''}\u0000${a.broker ?? ''}\u0000${a.orderId ?? ''}\u0000${a.message.replace(/\d+/g, '#')}`;
}

/** A row with its fields always in one order, the optional ones only when set (live, replayed and restored rows are equal, also as JSON). */
export function alertRow(a: {
  id: string;
  level: AlertLevel;
  message: string;
  at: string;
  code?: string | undefined;
  orderId?: string | undefined;
  broker?: string | undefined;
  count?: number | undefined;
  firstAt?: string | undefined;
  acknowledged?: { readonly by: string; readonly at: string } | undefined;
}): AlertView {
  return {
    id: a.id,
    level: a.level,
    message: a.message,
    at: a.at,
    ...(a.code !== undefined && { code: a.code }),
    ...(a.orderId !== undefined && { orderId: a.orderId }),
    ...(a.broker !== undefined && { broker: a.broker }),
    ...(a.count !== undefined && a.count > 1 && { count: a.count }),
    ...(a.firstAt !== undefined && { firstAt: a.firstAt }),
    ...(a.acknowledged !== undefined && { acknowledged: a.acknowledged }),
  };
}

function byLatest(a: AlertView, b: AlertView): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  return Number(a.id.slice(2)) - Number(b.id.slice(2));
}
