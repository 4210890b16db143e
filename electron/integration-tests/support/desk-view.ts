import type { AlgoParentView } from '../../../shared/contract/algos';
import type { DeskStreamMessage } from '../../../shared/contract/streams';
import type { AlertView, ExecutionView, OrderView, SessionView } from '../../../shared/contract/views';

/** What a subscriber of the desk sees: the snapshot, then every delta applied (as a window would). */
export class DeskView {
  readonly orders = new Map<string, OrderView>();
  readonly executions = new Map<string, ExecutionView>();
  readonly sessions = new Map<string, SessionView>();
  readonly alerts: AlertView[] = [];
  readonly algoParents = new Map<string, AlgoParentView>();
  /** Parts of a split snapshot still to come ('orders' and 'executions' messages); -1 before the snapshot. */
  private partsDue = -1;

  constructor(source: { subscribe(listener: (m: DeskStreamMessage) => void): unknown }) {
    source.subscribe((m) => this.apply(m));
  }

  /** The snapshot has arrived whole (all its parts). */
  get loaded(): boolean {
    return this.partsDue === 0;
  }

  apply(m: DeskStreamMessage): void {
    const put = <T>(map: Map<string, T>, rows: readonly T[], key: (t: T) => string) => rows.forEach((r) => map.set(key(r), r));
    if (m.kind === 'snapshot') this.partsDue = m.parts ?? 0;
    else if ((m.kind === 'orders' || m.kind === 'executions') && this.partsDue > 0) this.partsDue--;
    if (m.kind === 'snapshot') {
      put(this.orders, m.orders, (o) => o.orderId);
      put(this.executions, m.executions, (e) => e.execKey);
      put(this.sessions, m.sessions, (s) => s.broker);
      this.upsertAlerts(m.alerts);
      put(this.algoParents, m.algoParents ?? [], (p) => p.parentId);
    } else if (m.kind === 'algoParents') {
      for (const p of m.rows) if ((this.algoParents.get(p.parentId)?.version ?? 0) <= p.version) this.algoParents.set(p.parentId, p);
    } else if (m.kind === 'orders') {
      for (const o of m.rows) {
        const known = this.orders.get(o.orderId);
        if (known === undefined || known.version <= o.version) this.orders.set(o.orderId, o);
      }
    } else if (m.kind === 'executions') put(this.executions, m.rows, (e) => e.execKey);
    else if (m.kind === 'sessions') put(this.sessions, m.rows, (s) => s.broker);
    else if (m.kind === 'alerts') this.upsertAlerts(m.rows);
  }

  /** Alerts are rows keyed by id: a repeat updates its row (count, latest time). */
  private upsertAlerts(rows: readonly AlertView[]): void {
    for (const row of rows) {
      const at = this.alerts.findIndex((a) => a.id === row.id);
      if (at >= 0) this.alerts[at] = row;
      else this.alerts.push(row);
    }
  }
}

/** Polls (no fixed sleeps) until `probe` returns something truthy; the probe may be async. */
export async function until<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 15_000,
  pollMs = 10,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
