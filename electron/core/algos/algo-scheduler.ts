import type { Logger } from '../log/logger';
import type { Clock, TimerHandle } from '../time/clock';
import type { AlgoAction, MarketNow } from './algo-decision';
import { decide } from './algo-decision';
import type { AlgoParent } from './algo-parent';
import type { AlgoParentsView } from './algo-parents';
import { isLive } from './algo-state-table';
import { DueTimes } from './due-times';

export interface AlgoSchedulerPorts {
  readonly clock: Clock;
  readonly parents: AlgoParentsView;
  readonly log: Logger;
  market(instrumentId: string): MarketNow | undefined;
  brokerUp(broker: string): boolean;
  /**
   * Carries the decision out through the desk's command path (children: submit → validate → journal
   * → route). May return when its sends are out (the commit they waited for is done).
   */
  act(parent: AlgoParent, actions: readonly AlgoAction[]): Promise<unknown> | void;
  /** The parent looked at (its schedule moved on): the screens' progress. */
  looked?(parent: AlgoParent): void;
  /** A child's scheduled time and when it went out (ms on the clock, once `act`'s sends are out): the bench's dispatch error. */
  dispatched?(scheduledAt: number, actualMs: number): void;
}

/**
 * Runs the parents' schedules on the injected clock. Each parent's next look is an absolute time its
 * decision names (a slice time from the start, never "interval after the last send": no drift); the
 * scheduler holds ONE timer, for the earliest of them (a heap), and looks at every parent due when it
 * fires in the same turn, so their children share one journal commit and one socket write. A fold
 * that changed a parent (a fill, a reject, a person's pause) marks it for a look at the end of the
 * turn. Everything it does goes through `act` and is journaled there; what it holds itself (the due
 * times) is rebuilt from the read model at start, so a restart resumes where the journal stands.
 */
export class AlgoScheduler {
  private readonly due = new DueTimes();
  private readonly dirty = new Set<string>();
  private timer: { readonly handle: TimerHandle; readonly at: number } | undefined;
  private running = false;

  constructor(private readonly ports: AlgoSchedulerPorts) {}

  /** Resumes every live parent from the read model (after a restart: children in doubt wait for the broker's answer). */
  start(): void {
    this.running = true;
    for (const p of this.ports.parents.live()) this.changed(p.parentId);
  }

  stop(): void {
    this.running = false;
    this.disarm();
    this.due.clear();
    this.dirty.clear();
  }

  /** A fold changed this parent (or a child of it): look at it once the turn's work is done. */
  changed(parentId: string): void {
    if (!this.running) return;
    this.dirty.add(parentId);
    this.rearm();
  }

  /** Looks at every live parent now (the broker logged on, quotes arrived). */
  lookAtAll(): void {
    for (const p of this.ports.parents.live()) this.changed(p.parentId);
  }

  /** Parents waiting for a time of their own. */
  get armed(): number {
    return this.due.size;
  }

  /** The one timer, for the earliest due time (now, when a parent is marked changed). */
  private rearm(): void {
    if (!this.running) return;
    const at = this.dirty.size > 0 ? Number.NEGATIVE_INFINITY : this.due.earliest();
    if (at === undefined) return this.disarm();
    // A timer as early or earlier stays: when it fires, the next one is armed from the heap.
    if (this.timer !== undefined && this.timer.at <= at) return;
    this.disarm();
    const ms = at === Number.NEGATIVE_INFINITY ? 0 : Math.max(0, at - this.ports.clock.now().getTime());
    this.timer = { handle: this.ports.clock.setTimeout(() => this.fire(), ms), at };
  }

  private disarm(): void {
    if (this.timer !== undefined) this.ports.clock.clearTimeout(this.timer.handle);
    this.timer = undefined;
  }

  /**
   * Every parent due now, looked at in this one turn: their children share one commit and one write,
   * which nothing else in the turn delays. Parents a fold marked changed are looked at in a turn of
   * their own (the next, at once) when some are due, else in this one.
   */
  private fire(): void {
    this.timer = undefined;
    if (!this.running) return;
    const nowMs = this.ports.clock.now().getTime();
    const due = this.due.takeDue(nowMs);
    let ids: readonly string[] = due;
    if (due.length === 0) {
      ids = [...this.dirty];
      this.dirty.clear();
    } else for (const id of due) this.dirty.delete(id);
    for (const id of ids) this.look(id, nowMs);
    this.rearm();
  }

  private look(parentId: string, nowMs: number): void {
    const p = this.ports.parents.get(parentId);
    if (p === undefined || !isLive(p.status)) {
      this.due.set(parentId, undefined);
      return;
    }
    const decision = decide(p, { nowMs, market: this.ports.market(p.params.instrumentId), brokerUp: this.ports.brokerUp(p.params.broker) });
    if (decision.actions.length > 0) this.carryOut(p, decision.actions);
    this.ports.looked?.(this.ports.parents.get(parentId) ?? p);
    this.due.set(parentId, decision.wakeAt);
  }

  private carryOut(p: AlgoParent, actions: readonly AlgoAction[]): void {
    let done: Promise<unknown> | void;
    try {
      done = this.ports.act(p, actions);
    } catch (error) {
      this.ports.log.error('an algo parent could not act', { parentId: p.parentId, error: error instanceof Error ? error.stack : String(error) });
      return;
    }
    const dispatched = this.ports.dispatched;
    if (dispatched === undefined) return;
    const report = () => {
      const actualMs = this.ports.clock.now().getTime();
      for (const a of actions) if (a.kind === 'send') dispatched(a.scheduledAt, actualMs);
    };
    if (done === undefined) report();
    else done.then(report, () => undefined);
  }
}
