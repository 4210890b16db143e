import type { ExecType } from '../../../shared/domain/order-types';
import { EXEC_TYPES, SIDES } from '../../../shared/domain/order-types';
import type { ExecutionReportMessage } from '../broker/broker-port';
import type { DeskEvent } from '../journal/desk-events';
import type { PartCodec, ReadModel } from '../journal/read-model';
import type { BlockReader, BlockWriter } from '../journal/snapshot-codec';
import { SnapshotFormatError } from '../journal/snapshot-codec';

/** Bump when what the fold remembers or how it is encoded changes. */
export const DELIVERED_EXECUTIONS_VERSION = 1;

/** Execution reports that carry (or end) a fill: the ones a drop copy must agree on. */
export const CHECKED: ReadonlySet<ExecType> = new Set(['trade', 'tradeCancel', 'tradeCorrect']);

export type SessionSide = 'trading' | 'dropCopy';

/** An execution as one session delivered it: what the other session's must agree with. */
export interface Delivered {
  readonly broker: string;
  readonly from: SessionSide;
  readonly execId: string;
  readonly execType: ExecType;
  readonly clOrdId: string;
  readonly side?: string;
  readonly lastQty?: string;
  readonly lastPx?: string;
}

export interface DeliveredExecutionsView {
  isTracked(broker: string): boolean;
  /** What this session delivered with this ExecID first, if it did. */
  get(broker: string, from: SessionSide, execId: string): Delivered | undefined;
}

/** `tracked`: one entry, the brokers with a drop copy when the snapshot was made (none in the empty state). */
type Parts = { tracked: string; delivered: Delivered };

/**
 * The drop-copy memory: the executions each session delivered, by ExecID, for the brokers that
 * have a drop copy configured (for the others nothing would ever compare against it) — trading,
 * every execution report journaled as received or unmatched; drop copy, every one journaled as
 * drop-copy received. A read model: the first delivery of an ExecID is kept, and `apply` returns it
 * (the live cross-check, desk/drop-copy.ts, hangs off that result). A new trading day starts it afresh.
 */
export class DeliveredExecutions implements ReadModel<Delivered | undefined, DeliveredExecutionsView, Parts> {
  readonly name = 'dropCopy';
  readonly version = DELIVERED_EXECUTIONS_VERSION;
  readonly parts = { tracked: TRACKED_CODEC, delivered: DELIVERED_CODEC };
  readonly view: DeliveredExecutionsView;
  private readonly tracked: readonly string[];
  /** `broker|side|execId` → the first delivery (insertion order: the order delivered). */
  private entries = new Map<string, Delivered>();

  /** `tracked`: the brokers with a drop copy configured. */
  constructor(tracked: Iterable<string>) {
    this.tracked = [...new Set(tracked)].sort();
    this.view = {
      isTracked: (broker) => this.tracked.includes(broker),
      get: (broker, from, execId) => this.entries.get(key(broker, from, execId)),
    };
  }

  apply(event: DeskEvent): Delivered | undefined {
    switch (event.type) {
      case 'executionReceived':
        return this.remember(event.broker, 'trading', event.report);
      case 'unmatchedBrokerMessage':
        return event.message.type === 'executionReport' ? this.remember(event.broker, 'trading', event.message) : undefined;
      case 'dropCopyReceived':
        return this.remember(event.broker, 'dropCopy', event.report);
      case 'dayStarted':
        this.entries = new Map();
        return undefined;
      default:
        return undefined;
    }
  }

  private remember(broker: string, from: SessionSide, r: ExecutionReportMessage): Delivered | undefined {
    if (!CHECKED.has(r.execType) || !this.tracked.includes(broker)) return undefined;
    const k = key(broker, from, r.execId);
    if (this.entries.has(k)) return undefined;
    const delivered: Delivered = {
      broker,
      from,
      execId: r.execId,
      execType: r.execType,
      clOrdId: r.clOrdId,
      ...(r.side !== undefined && { side: r.side }),
      ...(r.lastQty !== undefined && { lastQty: r.lastQty }),
      ...(r.lastPx !== undefined && { lastPx: r.lastPx }),
    };
    this.entries.set(k, delivered);
    return delivered;
  }

  capture() {
    return { tracked: [this.tracked.join(', ')], delivered: [...this.entries.values()] };
  }

  /** A snapshot made with other drop copies configured does not describe this desk: refused (the desk replays). */
  restore(parts: { readonly tracked: readonly string[]; readonly delivered: readonly Delivered[] }): void {
    const entries = new Map<string, Delivered>();
    const then = parts.tracked[0];
    if (then !== undefined && then !== this.tracked.join(', ')) {
      throw new SnapshotFormatError(`made with drop copies for [${then}]; they are now configured for [${this.tracked.join(', ')}]`);
    }
    for (const d of parts.delivered) {
      if (!this.tracked.includes(d.broker)) throw new SnapshotFormatError(`a delivery of ${d.broker}, which has no drop copy`);
      entries.set(key(d.broker, d.from, d.execId), d);
    }
    this.entries = entries;
  }
}

function key(broker: string, from: SessionSide, execId: string): string {
  return `${broker}|${from}|${execId}`;
}

const TRACKED_CODEC: PartCodec<string> = { entriesPerBlock: 1_024, write: (b, w) => w.str(b), read: (r) => r.str() };

const FROM: ReadonlySet<SessionSide> = new Set(['trading', 'dropCopy']);
const EXEC_TYPE_SET: ReadonlySet<ExecType> = new Set(EXEC_TYPES);
const SIDE_SET: ReadonlySet<string> = new Set(SIDES);

/** Every field of a delivery must be written: adding one without the codec fails to compile. */
export const DELIVERED_FIELDS: Record<keyof Delivered, true> = { broker: true, from: true, execId: true, execType: true, clOrdId: true, side: true, lastQty: true, lastPx: true };

const DELIVERED_CODEC: PartCodec<Delivered> = {
  // The memory only grows: a full block, once written, is reused by every later snapshot.
  entriesPerBlock: 8_192,
  write(d: Delivered, w: BlockWriter): void {
    w.str(d.broker);
    w.str(d.from);
    w.inline(d.execId);
    w.str(d.execType);
    w.inline(d.clOrdId);
    w.optStr(d.side);
    w.optStr(d.lastQty);
    w.optStr(d.lastPx);
  },
  read(r: BlockReader): Delivered {
    const broker = r.str();
    const from = r.oneOf(FROM);
    const execId = r.str();
    const execType = r.oneOf(EXEC_TYPE_SET);
    const clOrdId = r.str();
    const side = r.optStr();
    if (side !== undefined && !SIDE_SET.has(side)) throw new SnapshotFormatError(`unexpected side ${JSON.stringify(side)}`);
    const lastQty = r.optStr();
    const lastPx = r.optStr();
    return { broker, from, execId, execType, clOrdId, ...(side !== undefined && { side }), ...(lastQty !== undefined && { lastQty }), ...(lastPx !== undefined && { lastPx }) };
  },
};
