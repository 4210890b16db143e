import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppendOnlyList } from './append-only-list';
import type { ExecIdList } from './exec-id-list';
import { hasExecId, withExecId } from './exec-id-list';

describe('an order’s ExecID list', () => {
  it('answers as a scan of the list would, whatever lists were made from which (property)', () => {
    // Steps: append an ExecID to one of the lists made so far (lists branch: two made from one), or ask.
    const id = fc.integer({ min: 0, max: 40 }).map((n) => `EXEC-0000000${n}`);
    // Lists of 16 and more are indexed: start from such lists and from short ones, and branch from them.
    const step = fc.record({ from: fc.nat(), execId: id, ask: fc.boolean() });
    fc.assert(
      fc.property(fc.uniqueArray(id, { minLength: 0, maxLength: 30 }), fc.array(step, { maxLength: 120 }), (start, steps) => {
        // Each list beside the items it must hold: an older version never sees what was appended to a newer one.
        const lists: Array<[ExecIdList, readonly string[]]> = [[AppendOnlyList.of(start), start]];
        for (const s of steps) {
          const [list, items] = lists[s.from % lists.length]!;
          if (s.ask) {
            expect(hasExecId(list, s.execId)).toBe(items.includes(s.execId));
            continue;
          }
          const next = withExecId(list, s.execId);
          const expected = items.includes(s.execId) ? items : [...items, s.execId];
          if (items.includes(s.execId)) expect(next).toBe(list);
          lists.push([next, expected]);
        }
        for (const [list, items] of lists) {
          expect([...list]).toEqual(items);
          expect(list.toArray()).toEqual(items);
          expect(list.length).toBe(items.length);
          for (let n = 0; n <= 40; n++) expect(hasExecId(list, `EXEC-0000000${n}`)).toBe(items.includes(`EXEC-0000000${n}`));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('compares by its items: the same items equal, one more or another not', () => {
    const a = AppendOnlyList.of(['E1']).with('E2');
    expect(a).toEqual(AppendOnlyList.of(['E1', 'E2']));
    expect(a).not.toEqual(AppendOnlyList.of(['E1']));
    expect(a).not.toEqual(AppendOnlyList.of(['E1', 'E3']));
    expect(AppendOnlyList.of(['E1'])).toEqual(AppendOnlyList.empty<string>().with('E1'));
    expect(JSON.stringify({ execIds: a })).toBe('{"execIds":["E1","E2"]}');
  });
});
