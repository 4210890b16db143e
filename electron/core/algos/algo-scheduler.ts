import type { Logger } from '../log/logger';
import type { Clock, TimerHandle } from '../time/clock';
import type { AlgoAction, MarketNow } from './algo-decision';
import { decide } from './algo-decision';
import type { AlgoParent } from './algo-parent';
import type { AlgoParentsView } from './algo-parents';
import { isLive } from './algo-state-table';

export interface AlgoSchedulerPorts {
  readonly clock: Clock;
  readonly parents: AlgoParentsView;
  readonly log: Logger;
  market(instrumentId: string): MarketNow | undefined;
  brokerUp(broker: string): boolean;
  /** Carries the decision out through the desk's command path (children: submit → validate → journal → route). */
  act(parent: AlgoParent, actions: readonly AlgoAction[]): void;
  /** The parent looked at (its schedule moved on): the screens' progress. */
  looked?(parent: AlgoParent): void;
  /** A child's scheduled time and when the scheduler sent it (ms on the clock): the bench's dispatch error. */
  dispatched?(scheduledAt: number, actualMs: number): void;
}

/**
 * Runs the parents' schedules on the injected clock. One timer per parent, armed at the absolute
 * time its decision names (a slice time from the start, never "interval after the last send": no
 * drift); a fold that changed a parent (a fill, a reject, a person's pause) marks it for a look at the
 * end of the turn. Everything it does goes through `act` and is journaled there; what it holds itself
 * (timers) is rebuilt from the read model at start, so a restart resumes where the journal stands.
 */
export class AlgoScheduler {
  private readonly timers = new Map<string, { readonly handle: TimerHandle; readonly at: number }>();
  private readonly dirty = new Set<string>();
  private flushTimer: TimerHandle | undefined;
  private running = false;

  constructor(private readonly ports: AlgoSchedulerPorts) {}

  /** Resumes every live parent from the read model (after a restart: children in doubt wait for the broker's answer). */
  start(): void {
    this.running = true;
    for (const p of this.ports.parents.live()) this.changed(p.parentId);
  }

  stop(): void {
    this.running = false;
    for (const t of this.timers.values()) this.ports.clock.clearTimeout(t.handle);
    this.timers.clear();
    if (this.flushTimer !== undefined) this.ports.clock.clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.dirty.clear();
  }

  /** A fold changed this parent (or a child of it): look at it once the turn's work is done. */
  changed(parentId: string): void {
    if (!this.running) return;
    this.dirty.add(parentId);
    this.flushTimer ??= this.ports.clock.setTimeout(() => this.flush(), 0);
  }

  /** Looks at every live parent now (the broker logged on, quotes arrived). */
  lookAtAll(): void {
    for (const p of this.ports.parents.live()) this.changed(p.parentId);
  }

  get armed(): number {
    return this.timers.size;
  }

  private flush(): void {
    this.flushTimer = undefined;
    const ids = [...this.dirty];
    this.dirty.clear();
    for (const id of ids) this.look(id);
  }

  private look(parentId: string): void {
    if (!this.running) return;
    const p = this.ports.parents.get(parentId);
    if (p === undefined || !isLive(p.status)) {
      this.arm(parentId, undefined);
      return;
    }
    const nowMs = this.ports.clock.now().getTime();
    const decision = decide(p, { nowMs, market: this.ports.market(p.params.instrumentId), brokerUp: this.ports.brokerUp(p.params.broker) });
    if (decision.actions.length > 0) {
      try {
        this.ports.act(p, decision.actions);
      } catch (error) {
        this.ports.log.error('an algo parent could not act', { parentId, error: error instanceof Error ? error.stack : String(error) });
      }
      for (const a of decision.actions) if (a.kind === 'send') this.ports.dispatched?.(a.scheduledAt, nowMs);
    }
    this.ports.looked?.(this.ports.parents.get(parentId) ?? p);
    this.arm(parentId, decision.wakeAt);
  }

  private arm(parentId: string, at: number | undefined): void {
    const current = this.timers.get(parentId);
    if (current !== undefined && current.at === at) return;
    if (current !== undefined) this.ports.clock.clearTimeout(current.handle);
    this.timers.delete(parentId);
    if (at === undefined) return;
    const handle = this.ports.clock.setTimeout(
      () => {
        this.timers.delete(parentId);
        this.look(parentId);
      },
      Math.max(0, at - this.ports.clock.now().getTime()),
    );
    this.timers.set(parentId, { handle, at });
  }
}
