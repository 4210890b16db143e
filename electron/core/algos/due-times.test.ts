import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DueTimes } from './due-times';

describe('due times (one per parent, the earliest first)', () => {
  it('gives back exactly the keys whose latest time is due, earliest first, whatever the sets and clears before', () => {
    const op = fc.record({ key: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), at: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), fc.integer({ min: 0, max: 100 }), (ops, now) => {
        const due = new DueTimes();
        const model = new Map<string, number>();
        for (const { key, at } of ops) {
          due.set(key, at);
          if (at === undefined) model.delete(key);
          else model.set(key, at);
        }
        expect(due.size).toBe(model.size);
        expect(due.earliest()).toBe(model.size === 0 ? undefined : Math.min(...model.values()));
        const expected = [...model.entries()].filter(([, at]) => at <= now);
        const taken = due.takeDue(now);
        expect([...taken].sort()).toEqual(expected.map(([k]) => k).sort());
        expect(taken.map((k) => model.get(k))).toEqual([...taken.map((k) => model.get(k))].sort((x, y) => (x as number) - (y as number)));
        expect(due.size).toBe(model.size - expected.length);
        expect(due.takeDue(now)).toEqual([]);
      }),
    );
  });

  it('stays compact when one key is re-armed many times', () => {
    const due = new DueTimes();
    for (let i = 0; i < 10_000; i++) due.set('a', i);
    due.set('b', 5);
    expect(due.takeDue(9_998)).toEqual(['b']);
    expect(due.takeDue(9_999)).toEqual(['a']);
    expect(due.size).toBe(0);
    expect((due as unknown as { heap: unknown[] }).heap.length).toBeLessThan(100);
  });
});
