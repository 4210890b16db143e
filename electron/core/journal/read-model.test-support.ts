import type { DeskEvent } from './desk-events';
import type { AnyReadModel, PartCodec, ReadModel } from './read-model';
import { BlockReader, BlockWriter, SnapshotFormatError } from './snapshot-codec';

/** Two small read models for the snapshot machinery's tests: what they fold is beside the point. */

export interface Seen {
  readonly seq: number;
  readonly type: string;
  readonly at: string;
}

const seenCodec = (entriesPerBlock: number): PartCodec<Seen> => ({
  entriesPerBlock,
  write: (e, w) => {
    w.u32(e.seq);
    w.str(e.type);
    w.inline(e.at);
  },
  read: (r) => ({ seq: r.u32(), type: r.str(), at: r.str() }),
});

/** Every event's seq, type and time, in order. */
export class EventLog implements ReadModel<Seen, { readonly all: () => readonly Seen[] }, { events: Seen }> {
  readonly name = 'eventLog';
  readonly version: number;
  readonly parts;
  private events: Seen[] = [];
  readonly view = { all: (): readonly Seen[] => this.events };

  constructor(options: { entriesPerBlock?: number; version?: number } = {}) {
    this.version = options.version ?? 1;
    this.parts = { events: seenCodec(options.entriesPerBlock ?? 8) };
  }

  apply(event: DeskEvent, seq: number): Seen {
    const seen = { seq, type: event.type, at: event.at };
    this.events.push(seen);
    return seen;
  }

  capture() {
    return { events: this.events.slice() };
  }

  restore(parts: { readonly events: readonly Seen[] }): void {
    for (let i = 1; i < parts.events.length; i++) {
      if ((parts.events[i] as Seen).seq <= (parts.events[i - 1] as Seen).seq) throw new SnapshotFormatError('events out of order');
    }
    this.events = [...parts.events];
  }
}

type Count = readonly [type: string, count: number];

/** How many events of each type: entries replaced (not changed) as they count. */
export class CountsByType implements ReadModel<void, { readonly get: (type: string) => number }, { counts: Count }> {
  readonly name = 'countsByType';
  readonly version = 1;
  readonly parts = {
    counts: {
      entriesPerBlock: 4,
      write: (e: Count, w: Parameters<PartCodec<Count>['write']>[1]) => {
        w.str(e[0]);
        w.u32(e[1]);
      },
      read: (r: Parameters<PartCodec<Count>['read']>[0]): Count => [r.str(), r.u32()],
    },
  };
  private counts = new Map<string, Count>();
  readonly view = { get: (type: string) => this.counts.get(type)?.[1] ?? 0 };

  apply(event: DeskEvent): void {
    this.counts.set(event.type, [event.type, (this.counts.get(event.type)?.[1] ?? 0) + 1]);
  }

  capture() {
    return { counts: [...this.counts.values()] };
  }

  restore(parts: { readonly counts: readonly Count[] }): void {
    this.counts = new Map(parts.counts.map((c) => [c[0], c]));
  }
}

/**
 * A read model's state through bytes and back, as a snapshot carries it: every part captured,
 * encoded in blocks with its codec, decoded and restored into `into`.
 */
export function roundTrip<M extends AnyReadModel>(from: M, into: M): void {
  const captured = from.capture() as Record<string, readonly unknown[]>;
  const parts: Record<string, unknown[]> = {};
  for (const [name, codec] of Object.entries(from.parts as Record<string, PartCodec<unknown>>)) {
    const entries = captured[name] ?? [];
    const decoded: unknown[] = [];
    for (let start = 0; start < entries.length; start += codec.entriesPerBlock) {
      const writer = new BlockWriter();
      const block = entries.slice(start, start + codec.entriesPerBlock);
      for (const entry of block) codec.write(entry, writer);
      const reader = new BlockReader(writer.finish());
      for (let i = 0; i < block.length; i++) decoded.push(codec.read(reader));
      reader.end();
    }
    parts[name] = decoded;
  }
  into.restore(parts);
}
