import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasExecId, withExecId } from './exec-id-list';

describe('an order’s ExecID list', () => {
  it('answers as a scan of the list would, whatever lists were made from which (property)', () => {
    // Steps: append an ExecID to one of the lists made so far (lists branch: two made from one), or ask.
    const id = fc.integer({ min: 0, max: 40 }).map((n) => `EXEC-0000000${n}`);
    // Lists of 16 and more are indexed: start from such lists, and branch from them.
    const step = fc.record({ from: fc.nat(), execId: id, ask: fc.boolean() });
    fc.assert(
      fc.property(fc.uniqueArray(id, { minLength: 16, maxLength: 30 }), fc.array(step, { maxLength: 120 }), (start, steps) => {
        const lists: Array<readonly string[]> = [start];
        for (const s of steps) {
          const list = lists[s.from % lists.length]!;
          if (s.ask) {
            expect(hasExecId(list, s.execId)).toBe(list.includes(s.execId));
            continue;
          }
          const next = withExecId(list, s.execId);
          expect(next).toEqual(list.includes(s.execId) ? list : [...list, s.execId]);
          if (next.includes(s.execId) && !list.includes(s.execId)) expect(list).not.toContain(s.execId); // the list it came from is unchanged
          lists.push(next);
        }
        for (const list of lists) for (let n = 0; n <= 40; n++) expect(hasExecId(list, `EXEC-0000000${n}`)).toBe(list.includes(`EXEC-0000000${n}`));
      }),
      { numRuns: 300 },
    );
  });
});
