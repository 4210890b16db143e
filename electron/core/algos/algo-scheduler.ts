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
  /**
   * Wake this many ms before a due time, do the work that need not wait (decide, submit, journal,
   * commit) with the broker's writes on hold, and release them at the due time. 0 or absent: wake
   * at the due time.
   */
  readonly leadMs?: number;
  /** After an early look, the due time is polled for in its last this many ms; before them, a timer. Default: the whole lead. */
  readonly pollMs?: number;
  /** Holds the broker's socket writes until the returned release; undefined when it cannot (its parents are then looked at on time, not early). */
  holdSends?(broker: string): (() => void) | undefined;
}

/**
 * After an early look, the due time is polled for as soon as the thread is free (I/O runs between
 * polls; a timer would be as late as the one the lead avoids): at most this many in a row, then a
 * millisecond's timer. The wait is at most the lead.
 */
const MAX_POLLS = 2_000;

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
  /** Holds taken for parents looked at early, released at their due time (or at stop). */
  private readonly holds = new Set<() => void>();
  /** The due times of the parents looked at early, waiting to be released. */
  private readonly waiting = new Map<object, number>();

  constructor(private readonly ports: AlgoSchedulerPorts) {}

  /** Resumes every live parent from the read model (after a restart: children in doubt wait for the broker's answer). */
  start(): void {
    this.running = true;
    for (const p of this.ports.parents.live()) this.changed(p.parentId);
  }

  stop(): void {
    this.running = false;
    this.disarm();
    // Stopping: what waits for its due time goes now (a session's Logout must not wait behind it).
    for (const release of [...this.holds]) release();
    this.holds.clear();
    this.waiting.clear();
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

  /**
   * When the scheduler must have the thread next (ms on the clock): a prepared child's due time, or
   * its next wake. Long work on the thread (a read's slices) ends before it.
   */
  nextDeadline(): number | undefined {
    if (!this.running) return undefined;
    let at = this.due.earliest();
    if (at !== undefined) at -= this.lead;
    for (const due of this.waiting.values()) if (at === undefined || due < at) at = due;
    return at;
  }

  /** Parents waiting for a time of their own. */
  get armed(): number {
    return this.due.size;
  }

  /** The one timer, for the earliest due time (now, when a parent is marked changed). */
  private rearm(): void {
    if (!this.running) return;
    const earliest = this.due.earliest();
    const at = this.dirty.size > 0 ? Number.NEGATIVE_INFINITY : earliest === undefined ? undefined : earliest - this.lead;
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
    const next = this.due.earliest();
    if (next !== undefined && next > nowMs && next - this.lead <= nowMs) {
      this.early(next);
      return this.rearm();
    }
    const due = this.due.takeDue(nowMs);
    let ids: readonly string[] = due;
    if (due.length === 0) {
      ids = [...this.dirty];
      this.dirty.clear();
    } else for (const id of due) this.dirty.delete(id);
    for (const id of ids) this.look(id, nowMs);
    this.rearm();
  }

  private get lead(): number {
    return this.ports.leadMs ?? 0;
  }

  /**
   * Woken `lead` ms before the parents due at `dueAt`: they are looked at as of that time now, their
   * children submitted, journaled and committed with their brokers' writes on hold, and the holds
   * released at `dueAt`, never before. Their decision stands for `dueAt` (their next due times come
   * from it). Parents whose broker cannot hold writes are looked at when `dueAt` comes.
   */
  private early(dueAt: number): void {
    const ids = this.due.takeDue(dueAt);
    for (const id of ids) this.dirty.delete(id);
    const holds = new Map<string, (() => void) | undefined>();
    const now: string[] = [];
    const later: string[] = [];
    for (const id of ids) {
      const broker = this.ports.parents.get(id)?.params.broker;
      if (broker !== undefined && !holds.has(broker)) holds.set(broker, this.ports.holdSends?.(broker));
      (broker === undefined || holds.get(broker) !== undefined ? now : later).push(id);
    }
    const releases = [...holds.values()].filter((r) => r !== undefined);
    for (const r of releases) this.holds.add(r);
    const acted = now.flatMap((id) => this.look(id, dueAt, false) ?? []);
    const token = {};
    const release = () => {
      this.waiting.delete(token);
      for (const r of releases) if (this.holds.delete(r)) r();
      for (const id of later) this.look(id, this.ports.clock.now().getTime());
      this.report(committed);
      this.rearm();
    };
    // Nothing decided, nobody waiting: nothing to hold.
    if (acted.length === 0 && later.length === 0) {
      for (const r of releases) if (this.holds.delete(r)) r();
      return;
    }
    this.waiting.set(token, dueAt);
    const wait = () => this.waitUntil(dueAt, release);
    // What is reported is what was committed (a failed commit sent nothing).
    const committed = acted.filter((a) => a.done === undefined);
    const pending = acted.flatMap((a) => (a.done === undefined ? [] : [a.done.then(() => void committed.push(a), () => undefined)]));
    if (pending.length === 0) wait();
    else void Promise.all(pending).then(wait);
  }

  /** Calls `then` once the clock reads `at` or later (polls that let I/O run, bounded; then a timer). */
  private waitUntil(at: number, then: () => void): void {
    let polls = 0;
    const poll = () => {
      if (!this.running) return;
      const left = at - this.ports.clock.now().getTime();
      if (left <= 0) return then();
      const pollMs = this.ports.pollMs ?? this.lead;
      this.ports.clock.setTimeout(poll, left > pollMs ? left - pollMs : ++polls > MAX_POLLS ? 1 : 0);
    };
    poll();
  }

  /** Looks at the parent as of `nowMs`; carries its decision out (reported at once, or returned to report later). */
  private look(parentId: string, nowMs: number, reportNow = true): Acted | undefined {
    const p = this.ports.parents.get(parentId);
    if (p === undefined || !isLive(p.status)) {
      this.due.set(parentId, undefined);
      return undefined;
    }
    const decision = decide(p, { nowMs, market: this.ports.market(p.params.instrumentId), brokerUp: this.ports.brokerUp(p.params.broker) });
    const acted = decision.actions.length > 0 ? this.carryOut(p, decision.actions) : undefined;
    this.ports.looked?.(this.ports.parents.get(parentId) ?? p);
    this.due.set(parentId, decision.wakeAt);
    if (acted === undefined || !reportNow) return acted;
    if (acted.done === undefined) this.report([acted]);
    else acted.done.then(() => this.report([acted]), () => undefined);
    return undefined;
  }

  private carryOut(p: AlgoParent, actions: readonly AlgoAction[]): Acted | undefined {
    try {
      const done = this.ports.act(p, actions);
      return { actions, ...(done !== undefined && { done }) };
    } catch (error) {
      this.ports.log.error('an algo parent could not act', { parentId: p.parentId, error: error instanceof Error ? error.stack : String(error) });
      return undefined;
    }
  }

  private report(acted: readonly Acted[]): void {
    const dispatched = this.ports.dispatched;
    if (dispatched === undefined || acted.length === 0) return;
    const actualMs = this.ports.clock.now().getTime();
    for (const { actions } of acted) for (const a of actions) if (a.kind === 'send') dispatched(a.scheduledAt, actualMs);
  }
}

/** A decision handed to `act`, and its commit (when `act` returns one). */
interface Acted {
  readonly actions: readonly AlgoAction[];
  readonly done?: Promise<unknown>;
}
