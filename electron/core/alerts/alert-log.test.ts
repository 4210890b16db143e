import { describe, expect, it } from 'vitest';
import type { AlertLevel } from '../../../shared/contract/views';
import type { DeskEvent } from '../journal/desk-events';
import type { Block, SectionParts, SectionSource } from '../journal/snapshot-codec';
import { BlockReader } from '../journal/snapshot-codec';
import { AlertLog, collapseKey } from './alert-log';

let seq = 0;
let ms = Date.UTC(2026, 11, 6, 9);
const raised = (level: AlertLevel, message: string, extra: Partial<Extract<DeskEvent, { type: 'alertRaised' }>> = {}): [DeskEvent, number] => [
  { type: 'alertRaised', at: new Date((ms += 1000)).toISOString(), level, code: 'SESSION', message, broker: 'SIM-A', ...extra },
  ++seq,
];

function fold(log: AlertLog, events: ReadonlyArray<[DeskEvent, number]>): void {
  for (const [e, s] of events) log.apply(e, s);
}

describe('the alert list', () => {
  it('collapses an alert that comes again (the same but for its numbers) into one row with a count and a time window', () => {
    const log = new AlertLog();
    const first = raised('warning', 'sequence gap: expected MsgSeqNum 5, received 9');
    fold(log, [first, raised('warning', 'sequence gap: expected MsgSeqNum 12, received 20')]);
    const [row] = log.views();
    expect(log.views()).toHaveLength(1);
    expect(row).toEqual({
      id: `A-${first[1]}`,
      level: 'warning',
      message: 'sequence gap: expected MsgSeqNum 12, received 20',
      at: new Date(ms).toISOString(),
      code: 'SESSION',
      broker: 'SIM-A',
      count: 2,
      firstAt: first[0].at,
    });
    // Another order, another broker, another level or another wording: another row.
    fold(log, [raised('warning', 'sequence gap: expected MsgSeqNum 5, received 9', { broker: 'SIM-B' }), raised('error', 'sequence gap: expected MsgSeqNum 5, received 9'), raised('warning', 'garbled')]);
    expect(log.views()).toHaveLength(4);
    expect(collapseKey({ level: 'error', code: 'OVERFILL', orderId: 'K-1', message: 'OVERFILL on K-1: 150 of 100' })).not.toBe(collapseKey({ level: 'error', code: 'OVERFILL', orderId: 'K-2', message: 'OVERFILL on K-2: 150 of 100' }));
  });

  it('is bounded per level: a flood of warnings never pushes out an error', () => {
    const log = new AlertLog({ error: 2, warning: 3, info: 1 });
    fold(log, [raised('error', 'OVERFILL on K-1', { code: 'OVERFILL', orderId: 'K-1' })]);
    for (let i = 0; i < 50; i++) fold(log, [raised('warning', `junk ${'x'.repeat(i)}`)]);
    expect(log.views().filter((a) => a.level === 'error')).toHaveLength(1);
    expect(log.views().filter((a) => a.level === 'warning').map((a) => a.message)).toEqual([`junk ${'x'.repeat(47)}`, `junk ${'x'.repeat(48)}`, `junk ${'x'.repeat(49)}`]);
    fold(log, [raised('error', 'OVERFILL on K-2', { code: 'OVERFILL', orderId: 'K-2' }), raised('error', 'OVERFILL on K-3', { code: 'OVERFILL', orderId: 'K-3' })]);
    expect(log.views().filter((a) => a.level === 'error').map((a) => a.orderId)).toEqual(['K-2', 'K-3']); // errors only make room for errors
    expect(log.size).toBe(5);
  });

  it('keeps a repeated row among the newest: what repeats is not evicted first', () => {
    const log = new AlertLog({ error: 2, warning: 2, info: 1 });
    const old = raised('warning', 'one');
    fold(log, [old, raised('warning', 'two'), raised('warning', 'one'), raised('warning', 'three')]);
    expect(log.views().map((a) => a.message)).toEqual(['one', 'three']);
    expect(log.get(`A-${old[1]}`)?.count).toBe(2);
  });

  it('acknowledges by id, once, with who and when; a new occurrence clears it', () => {
    const log = new AlertLog();
    const a = raised('error', 'SIM-A rejected the new order');
    fold(log, [a]);
    const id = `A-${a[1]}`;
    const ack: DeskEvent = { type: 'alertsAcknowledged', at: '2026-12-06T10:00:00.000Z', by: 'jo', alertIds: [id, 'A-0'] };
    expect(log.apply(ack, ++seq)).toEqual([expect.objectContaining({ id, acknowledged: { by: 'jo', at: '2026-12-06T10:00:00.000Z' } })]);
    expect(log.apply(ack, ++seq)).toEqual([]);
    fold(log, [raised('error', 'SIM-A rejected the new order')]);
    expect(log.get(id)).toMatchObject({ count: 2 });
    expect(log.get(id)?.acknowledged).toBeUndefined();
  });

  it('round-trips through its snapshot section: the restored list equals the folded one, row for row, and folds on alike', async () => {
    const log = new AlertLog({ error: 3, warning: 3, info: 2 });
    const events: Array<[DeskEvent, number]> = [];
    for (let i = 0; i < 30; i++) events.push(raised((['error', 'warning', 'info'] as const)[i % 3] as AlertLevel, `alert ${i % 7 === 0 ? 'same' : 'x'.repeat(i)}`, i % 4 === 0 ? { orderId: `K-${i}` } : {}));
    fold(log, events);
    log.apply({ type: 'alertsAcknowledged', at: '2026-12-06T10:00:00.000Z', by: 'jo', alertIds: log.views().map((a) => a.id).slice(0, 2) }, ++seq);
    const job = log.snapshots.open();
    const write = job.write();
    let step = write.next();
    while (!step.done) step = write.next();
    job.close(true);
    const restored = new AlertLog({ error: 3, warning: 3, info: 2 });
    await restored.snapshots.restore(sourceOf(step.value));
    expect(JSON.stringify(restored.views())).toBe(JSON.stringify(log.views()));
    const next = raised('warning', 'alert same');
    fold(log, [next]);
    fold(restored, [next]);
    expect(JSON.stringify(restored.views())).toBe(JSON.stringify(log.views()));
  });
});

function sourceOf(parts: SectionParts): SectionSource {
  return {
    partNames: parts.map((p) => p.name),
    async *blocks(name: string) {
      for (const block of parts.find((p) => p.name === name)?.blocks ?? []) yield { reader: new BlockReader(block.data as Uint8Array), block: { count: block.count } as Block };
    },
  };
}
