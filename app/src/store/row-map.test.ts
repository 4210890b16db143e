import { describe, expect, it } from 'vitest';
import { RowMap } from './row-map';

const entries = (n: number, prefix = 'K', value = 0): Array<readonly [string, number]> => Array.from({ length: n }, (_, i) => [`${prefix}${i}`, value] as const);

describe('RowMap', () => {
  it('behaves as a Map across layers, removals and folds, every version still readable', () => {
    const versions: Array<{ map: RowMap<number>; model: Map<string, number> }> = [];
    let map = RowMap.from(entries(3_000));
    const model = new Map(entries(3_000));
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 400; round++) {
      if (round % 5 === 4) {
        const keys = Array.from({ length: 1 + random(30) }, () => `K${random(4_000)}`);
        map = map.remove(keys);
        for (const k of keys) model.delete(k);
      } else {
        const rows = Array.from({ length: 1 + random(60) }, () => [`K${random(4_000)}`, round] as const);
        map = map.upsert(rows);
        for (const [k, v] of rows) model.set(k, v);
      }
      if (round % 40 === 0) versions.push({ map, model: new Map(model) });
    }
    for (const v of [...versions, { map, model }]) {
      expect(v.map.size).toBe(v.model.size);
      const byKey = (a: readonly [string, number], b: readonly [string, number]) => a[0].localeCompare(b[0]);
      expect([...v.map.entries()].sort(byKey)).toEqual([...v.model.entries()].sort(byKey));
      for (const k of ['K0', 'K17', 'K3999', 'nope']) expect([v.map.has(k), v.map.get(k)]).toEqual([v.model.has(k), v.model.get(k)]);
    }
  });

  it('names the keys changed since an older version of its lineage, across folds, in the number of changes', () => {
    const start = RowMap.from(entries(100));
    let map = start;
    for (let i = 0; i < 5_000; i++) map = map.upsert([[`K${i % 150}`, i]]);
    const keys = map.changedKeysSince(start);
    expect(keys).toBeDefined();
    expect([...(keys ?? [])]).toHaveLength(5_000);
    expect(new Set(keys).size).toBe(150);
    expect([...(map.changedKeysSince(map) ?? ['x'])]).toEqual([]);
  });

  it('cannot name changes between branches or unrelated maps: a full comparison is needed', () => {
    const start = RowMap.from(entries(10));
    const a = start.upsert([['K1', 1]]);
    const b = start.upsert([['K2', 2]]);
    expect(b.changedKeysSince(a)).toBeUndefined();
    expect(a.changedKeysSince(b)).toBeUndefined();
    expect(a.changedKeysSince(new Map())).toBeUndefined();
    expect(start.changedKeysSince(a)).toBeUndefined();
  });

  it('iterates in first-insertion order, as a Map', () => {
    let map = RowMap.from(entries(3));
    for (let i = 0; i < 2_000; i++) map = map.upsert([[`N${i}`, i], ['K1', i]]);
    expect([...map.keys()].slice(0, 5)).toEqual(['K0', 'K1', 'K2', 'N0', 'N1']);
    expect([...map.keys()].at(-1)).toBe('N1999');
    expect(map.get('K1')).toBe(1_999);
  });

  it('gives the oldest keys first, skipping removed ones', () => {
    const map = RowMap.from(entries(5)).remove(['K0', 'K2']).upsert([['N', 1]]);
    expect(map.oldestKeys(3)).toEqual(['K1', 'K3', 'K4']);
    expect(map.oldestKeys(10)).toEqual(['K1', 'K3', 'K4', 'N']);
    expect(map.remove(['absent'])).toBe(map);
  });

  it('keeps the newest rows when upserting past a maximum, in one version', () => {
    const map = RowMap.from(entries(5));
    const next = map.upsertKeepingNewest([['K1', 9], ['N0', 1], ['N1', 1]], 6);
    expect([...next.keys()]).toEqual(['K1', 'K2', 'K3', 'K4', 'N0', 'N1']);
    expect(next.get('K1')).toBe(9);
    const many = map.upsertKeepingNewest(Array.from({ length: 10 }, (_, i) => [`M${i}`, i] as const), 3);
    expect([...many.keys()]).toEqual(['M7', 'M8', 'M9']);
    expect(many.size).toBe(3);
  });
});
