import type { ExecType } from '../../../shared/domain/order-types';
import type { BrokerConfig } from '../config/desk-config';
import type { ExecutionReportMessage } from '../broker/broker-port';
import type { DeskEvent, DropCopyMismatch } from '../journal/desk-events';
import type { Block, SectionParts, SectionSource } from '../journal/snapshot-codec';
import { BlockWriter, SnapshotFormatError } from '../journal/snapshot-codec';
import type { SectionJob, SnapshotSection } from '../journal/snapshots';
import { BOOK_SECTION_VERSION } from '../orders/book-snapshot';
import { Dec } from '../orders/decimal';
import type { OrderBook } from '../orders/order-book';
import type { TimerHandle } from '../time/clock';
import type { DeskContext } from './desk-context';
import { record } from './desk-context';

/** How long one session may lag the other before an execution counts as missing. */
export const DROP_COPY_GRACE_MS = 5_000;

/** Execution reports that carry (or end) a fill: the ones a drop copy must agree on. */
const CHECKED: ReadonlySet<ExecType> = new Set(['trade', 'tradeCancel', 'tradeCorrect']);

type Side = 'trading' | 'dropCopy';

/** The drop-copy checker's part of a snapshot: the executions each session delivered. Bump when the layout or `remember` changes. */
export const DROP_COPY_SECTION_VERSION = 1;
/** Entries per snapshot block: the memory only grows, so every full block is written once and reused after. */
const ENTRIES_PER_BLOCK = 8_192;

export interface Seen {
  readonly execType: ExecType;
  readonly clOrdId: string;
  readonly side?: string;
  readonly lastQty?: string;
  readonly lastPx?: string;
}

interface BrokerCheck {
  /** ExecIDs one side delivered and the other has not yet, with the timer that will call it missing. */
  readonly waiting: Map<string, { readonly from: Side; readonly timer: TimerHandle }>;
  mismatches: number;
  lastMismatch?: string;
}

export interface DropCopyFigures {
  readonly mismatches: number;
  readonly awaitingMatch: number;
  readonly lastMismatch?: string;
}

/**
 * The drop-copy session's own BrokerConfig: the trading session's settings with the `dropCopy`
 * block laid over them (its own host, port, CompIDs, credentials). Undefined when none is configured.
 */
export function dropCopyConfig(config: BrokerConfig): BrokerConfig | undefined {
  const { dropCopy, ...trading } = config;
  if (dropCopy === undefined) return undefined;
  const merged: BrokerConfig = { ...trading, name: config.name };
  // Its own credentials replace the trading session's as a pair (a password in one, an env name in the other would mix).
  if (dropCopy.password !== undefined || dropCopy.passwordEnv !== undefined) {
    delete (merged as { password?: string }).password;
    delete (merged as { passwordEnv?: string }).passwordEnv;
  }
  for (const [key, value] of Object.entries(dropCopy)) if (value !== undefined) Object.assign(merged, { [key]: value });
  return merged;
}

/**
 * Cross-checks a broker's executions as its trading session and its drop-copy session deliver
 * them, by ExecID: one the other session has not delivered within the grace period (Clock-driven),
 * or one whose side, quantity or price differ, is a mismatch — journaled (`dropCopyMismatch`, which
 * the book raises as an alert) and counted in the session view. A mismatch found while the other
 * session is down waits for it to come back: a session that is down is shown as such, not as
 * a flood of missing executions. Nothing here changes an order.
 */
export class DropCopyChecker {
  private readonly brokers = new Map<string, BrokerCheck>();
  /** What each session delivered: the part of the checker folded from the journal (and kept in snapshots). */
  readonly delivered: DeliveredExecutions;

  constructor(
    private readonly ctx: DeskContext,
    private readonly graceMs = DROP_COPY_GRACE_MS,
  ) {
    this.delivered = new DeliveredExecutions(ctx.config.brokers.filter((b) => dropCopyConfig(b) !== undefined).map((b) => b.name));
  }

  /** Replay: an execution already delivered before this start, never timed again. */
  remember(broker: string, from: Side, report: ExecutionReportMessage): void {
    this.delivered.remember(broker, from, report);
  }

  /** True when the drop copy delivered this ExecID before (a resend): not journaled again. */
  isRepeat(broker: string, report: ExecutionReportMessage): boolean {
    return this.delivered.of(broker).dropCopy.has(report.execId);
  }

  /** An execution report as a session delivered it. */
  observe(broker: string, from: Side, report: ExecutionReportMessage): void {
    if (!CHECKED.has(report.execType) || !this.ctx.dropCopies.has(broker) || !this.delivered.isTracked(broker)) return;
    const delivered = this.delivered.of(broker);
    if (delivered[from].has(report.execId)) return;
    const mine = seen(report);
    delivered[from].set(report.execId, mine);
    const check = this.check(broker);
    const other = delivered[from === 'trading' ? 'dropCopy' : 'trading'].get(report.execId);
    const pending = check.waiting.get(report.execId);
    if (pending !== undefined) {
      this.ctx.clock.clearTimeout(pending.timer);
      check.waiting.delete(report.execId);
    }
    if (other !== undefined) {
      const difference = differences(from === 'trading' ? mine : other, from === 'trading' ? other : mine);
      if (difference !== undefined) this.mismatch(broker, 'different', report.execId, `execution ${report.execId} differs: ${difference}`, report.clOrdId);
    } else {
      this.wait(broker, from, report.execId);
    }
    this.ctx.refreshSession(broker);
  }

  figures(broker: string): DropCopyFigures {
    const check = this.brokers.get(broker);
    if (check === undefined) return { mismatches: 0, awaitingMatch: 0 };
    return { mismatches: check.mismatches, awaitingMatch: check.waiting.size, ...(check.lastMismatch !== undefined && { lastMismatch: check.lastMismatch }) };
  }

  stop(): void {
    for (const check of this.brokers.values()) for (const { timer } of check.waiting.values()) this.ctx.clock.clearTimeout(timer);
  }

  private wait(broker: string, from: Side, execId: string): void {
    const check = this.check(broker);
    const timer = this.ctx.clock.setTimeout(() => {
      check.waiting.delete(execId);
      const otherConnection = from === 'trading' ? this.ctx.dropCopies.get(broker) : this.ctx.brokers.get(broker);
      // The other session is down: it may still deliver once it is back (resend); wait again.
      if (otherConnection !== undefined && otherConnection.state !== 'loggedOn') {
        this.wait(broker, from, execId);
        return;
      }
      const execution = this.delivered.of(broker)[from].get(execId);
      const what = execution === undefined ? execId : `${execId} (${describe(execution)})`;
      if (from === 'trading') {
        this.mismatch(broker, 'missingOnDropCopy', execId, `the drop copy never delivered execution ${what} that the trading session did`, execution?.clOrdId);
      } else {
        this.mismatch(broker, 'missingOnTrading', execId, `the trading session never delivered execution ${what} that the drop copy did`, execution?.clOrdId);
      }
      this.ctx.refreshSession(broker);
    }, this.graceMs);
    check.waiting.set(execId, { from, timer });
  }

  private mismatch(broker: string, kind: DropCopyMismatch['kind'], execId: string, detail: string, clOrdId: string | undefined): void {
    const check = this.check(broker);
    check.mismatches += 1;
    check.lastMismatch = detail;
    const orderId = clOrdId === undefined ? undefined : this.ctx.book.orderIdForClOrdId(clOrdId);
    record(this.ctx, { type: 'dropCopyMismatch', at: this.ctx.now(), broker, execId, kind, detail, ...(orderId !== undefined && { orderId }) });
  }

  private check(broker: string): BrokerCheck {
    let check = this.brokers.get(broker);
    if (check === undefined) {
      check = { waiting: new Map(), mismatches: 0 };
      this.brokers.set(broker, check);
    }
    return check;
  }
}

/**
 * The executions each session delivered, by ExecID, for the brokers that have a drop copy (for the
 * others nothing would ever compare against it): trading, every execution report journaled as
 * received or unmatched; drop copy, every one journaled as drop-copy received. The first delivery of
 * an ExecID is the one kept, live (`observe`) and on replay (`remember`) alike, so what is remembered
 * is the same whether the desk lived through the events or replayed them, and a snapshot of it
 * equals a replay. Entries are never changed or removed.
 */
export class DeliveredExecutions {
  private readonly brokers = new Map<string, Record<Side, Map<string, Seen>>>();
  private readonly tracked: ReadonlySet<string>;
  /** The blocks of the last snapshot, by part (`trading:<broker>`, `dropCopy:<broker>`). */
  private readonly blocks = new Map<string, Block[]>();

  /** `tracked`: the brokers with a drop copy configured. `entriesPerBlock`: snapshot block size (tests use small ones). */
  constructor(
    tracked: Iterable<string>,
    private readonly entriesPerBlock = ENTRIES_PER_BLOCK,
  ) {
    this.tracked = new Set(tracked);
  }

  isTracked(broker: string): boolean {
    return this.tracked.has(broker);
  }

  of(broker: string): Record<Side, Map<string, Seen>> {
    let maps = this.brokers.get(broker);
    if (maps === undefined) {
      maps = { trading: new Map(), dropCopy: new Map() };
      this.brokers.set(broker, maps);
    }
    return maps;
  }

  remember(broker: string, from: Side, report: ExecutionReportMessage): void {
    if (!CHECKED.has(report.execType) || !this.tracked.has(broker)) return;
    const map = this.of(broker)[from];
    if (!map.has(report.execId)) map.set(report.execId, seen(report));
  }

  /** This memory's part of the journal fold: one journaled event. */
  rememberEvent(event: DeskEvent): void {
    if (event.type === 'executionReceived') this.remember(event.broker, 'trading', event.report);
    else if (event.type === 'unmatchedBrokerMessage' && event.message.type === 'executionReport') this.remember(event.broker, 'trading', event.message);
    else if (event.type === 'dropCopyReceived') this.remember(event.broker, 'dropCopy', event.report);
  }

  /** Broker → session → ExecID → what was delivered (tests compare it). */
  all(): ReadonlyMap<string, Record<Side, ReadonlyMap<string, Seen>>> {
    return this.brokers;
  }

  /**
   * Marks what is remembered now, to be encoded later: the maps only grow and an entry never changes,
   * so their sizes now are the state, and a full block once written is reused by every later snapshot.
   * The brokers tracked are written first: a snapshot made with other drop copies configured does not
   * describe this desk (it is ignored: full replay). Timers, mismatch counts and executions awaiting
   * their match are not kept: a replay does not rebuild them either.
   */
  openSnapshot(): SectionJob {
    const tracked = [...this.tracked].sort();
    const sizes = [...this.brokers].map(([broker, maps]) => ({ broker, maps, trading: maps.trading.size, dropCopy: maps.dropCopy.size }));
    const cache = this.blocks;
    const perBlock = this.entriesPerBlock;
    return {
      *write(): Generator<void, SectionParts> {
        const head = new BlockWriter();
        head.u32(tracked.length);
        for (const broker of tracked) head.str(broker);
        const parts: Array<{ name: string; blocks: Block[] }> = [{ name: 'tracked', blocks: [{ count: tracked.length, data: head.finish() }] }];
        for (const { broker, maps, trading, dropCopy } of sizes) {
          for (const [side, count] of [['trading', trading], ['dropCopy', dropCopy]] as const) {
            const name = `${side}:${broker}`;
            const cached = cache.get(name) ?? [];
            const blocks: Block[] = [];
            let w: BlockWriter | undefined;
            let inBlock = 0;
            let n = 0;
            for (const [execId, s] of maps[side]) {
              if (n === count) break;
              n++;
              const old = cached[blocks.length];
              const reuse = old !== undefined && old.count === perBlock;
              if (!reuse) {
                w ??= new BlockWriter(perBlock * 6);
                w.inline(execId);
                w.str(s.execType);
                w.inline(s.clOrdId);
                w.optStr(s.side);
                w.optStr(s.lastQty);
                w.optStr(s.lastPx);
              }
              if (++inBlock === perBlock || n === count) {
                blocks.push(reuse ? (old as Block) : { count: inBlock, data: (w as BlockWriter).finish() });
                w = undefined;
                inBlock = 0;
                yield; // a block reused still cost the walk through its entries
              }
            }
            if (n !== count) throw new Error('the drop-copy memory shrank while a snapshot was written');
            cache.set(name, blocks);
            parts.push({ name, blocks });
          }
        }
        return parts;
      },
      close() {},
    };
  }

  /** Restores what a snapshot remembered, into a memory holding nothing yet; on any error it is left empty. */
  async restoreSnapshot(source: SectionSource): Promise<void> {
    if (this.brokers.size > 0) throw new Error('a snapshot is restored into an empty drop-copy memory only');
    try {
      const tracked: string[] = [];
      for await (const { reader } of source.blocks('tracked')) {
        const count = reader.count();
        for (let i = 0; i < count; i++) tracked.push(reader.str());
        reader.end();
      }
      const now = [...this.tracked].sort();
      if (tracked.join('\u0000') !== now.join('\u0000')) {
        throw new SnapshotFormatError(`it was made with drop copies for [${tracked.join(', ')}]; they are now configured for [${now.join(', ')}]`);
      }
      for (const name of source.partNames) {
        const colon = name.indexOf(':');
        const side = name.slice(0, colon);
        if (side !== 'trading' && side !== 'dropCopy') continue;
        const map = this.of(name.slice(colon + 1))[side];
        const blocks: Block[] = [];
        for await (const { reader, block } of source.blocks(name)) {
          for (let i = 0; i < block.count; i++) {
            const execId = reader.str();
            const execType = reader.str() as ExecType;
            if (!CHECKED.has(execType)) throw new SnapshotFormatError(`unexpected execution type ${execType}`);
            // Every field present (absent ones undefined): read by field, like the live entries.
            map.set(execId, { execType, clOrdId: reader.str(), side: reader.optStr(), lastQty: reader.optStr(), lastPx: reader.optStr() });
          }
          reader.end();
          blocks.push(block);
        }
        this.blocks.set(name, blocks);
      }
    } catch (error) {
      this.clear();
      throw error;
    }
  }

  /** Forgets the blocks kept for the next snapshot (it then encodes every block). */
  forgetSnapshotBlocks(): void {
    this.blocks.clear();
  }

  /** Forgets everything (a restore that has to be undone). */
  clear(): void {
    this.brokers.clear();
    this.blocks.clear();
  }
}

function seen(r: ExecutionReportMessage): Seen {
  return {
    execType: r.execType,
    clOrdId: r.clOrdId,
    ...(r.side !== undefined && { side: r.side }),
    ...(r.lastQty !== undefined && { lastQty: r.lastQty }),
    ...(r.lastPx !== undefined && { lastPx: r.lastPx }),
  };
}

function describe(s: Seen): string {
  return `${s.execType}${s.side ? ` ${s.side}` : ''} ${s.lastQty ?? '?'} @ ${s.lastPx ?? '?'}, ClOrdID ${s.clOrdId}`;
}

/** What differs between the trading session's and the drop copy's version of one execution. */
function differences(trading: Seen, dropCopy: Seen): string | undefined {
  const found: string[] = [];
  if (trading.execType !== dropCopy.execType) found.push(`type ${trading.execType} on the trading session, ${dropCopy.execType} on the drop copy`);
  if (trading.side !== undefined && dropCopy.side !== undefined && trading.side !== dropCopy.side) {
    found.push(`side ${trading.side} on the trading session, ${dropCopy.side} on the drop copy`);
  }
  if (!sameDecimal(trading.lastQty, dropCopy.lastQty)) found.push(`quantity ${trading.lastQty ?? 'none'} on the trading session, ${dropCopy.lastQty ?? 'none'} on the drop copy`);
  if (!sameDecimal(trading.lastPx, dropCopy.lastPx)) found.push(`price ${trading.lastPx ?? 'none'} on the trading session, ${dropCopy.lastPx ?? 'none'} on the drop copy`);
  return found.length === 0 ? undefined : found.join('; ');
}

function sameDecimal(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return new Dec(a).equals(b);
}

/**
 * The desk's journal fold: every journaled event goes to the order book and to the drop-copy
 * memory, on replay as live (live, the book through `record`, the memory through `observe`).
 */
export function foldDeskEvent(book: OrderBook, delivered: DeliveredExecutions, event: DeskEvent, seq: number): void {
  book.apply(event, seq);
  delivered.rememberEvent(event);
}

/** What the fold builds, as snapshot sections (in this order): the order book, then the drop-copy memory. */
export function deskSnapshotSections(book: OrderBook, delivered: DeliveredExecutions): SnapshotSection[] {
  return [
    {
      name: 'book',
      version: BOOK_SECTION_VERSION,
      open: () => book.openSnapshot(),
      restore: (r) => book.restoreSnapshot(r),
      discard: () => book.reset(),
      forgetBlocks: () => book.forgetSnapshotBlocks(),
    },
    {
      name: 'dropCopy',
      version: DROP_COPY_SECTION_VERSION,
      open: () => delivered.openSnapshot(),
      restore: (r) => delivered.restoreSnapshot(r),
      discard: () => delivered.clear(),
      forgetBlocks: () => delivered.forgetSnapshotBlocks(),
    },
  ];
}
