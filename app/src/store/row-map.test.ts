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
    type Row = { readonly id: string; readonly v: number };
    const row = (id: string, v = 0): Row => ({ id, v });
    const id = (r: Row) => r.id;
    const map = RowMap.from(['K0', 'K1', 'K2', 'K3', 'K4'].map((k) => [k, row(k)] as const));
    const next = map.upsertKeepingNewest([row('K1', 9), row('N0'), row('N1')], id, 6);
    expect([...next.keys()]).toEqual(['K1', 'K2', 'K3', 'K4', 'N0', 'N1']);
    expect(next.get('K1')?.v).toBe(9);
    const many = map.upsertKeepingNewest(Array.from({ length: 10 }, (_, i) => row(`M${i}`, i)), id, 3);
    expect([...many.keys()]).toEqual(['M7', 'M8', 'M9']);
    expect(many.size).toBe(3);
    expect([...map.keys()]).toEqual(['K0', 'K1', 'K2', 'K3', 'K4']);
  });
});

describe('RowMap versions sharing their changes', () => {
  it('reads every older version right while the newest changes the same keys again and again, across folds', () => {
    let map = RowMap.from(entries(10));
    const versions: Array<RowMap<number>> = [];
    // K3 changes on every version; K4 is removed, then added back; N* are new keys, enough to fold.
    for (let i = 1; i <= 20_000; i++) {
      map = map.upsert([['K3', i], [`N${i}`, i]]);
      if (i === 5) map = map.remove(['K4']);
      if (i === 7) map = map.upsert([['K4', -7]]);
      versions.push(map);
    }
    expect(versions[0]!.get('K3')).toBe(1);
    expect(versions[3]!.get('K4')).toBe(0);
    expect(versions[4]!.has('K4')).toBe(false);
    expect(versions[6]!.get('K4')).toBe(-7);
    expect(versions[9_999]!.get('K3')).toBe(10_000);
    expect(versions[9_999]!.has('N10001')).toBe(false);
    expect(versions[9_999]!.size).toBe(10 + 10_000);
    expect(map.size).toBe(10 + 20_000);
    expect([...versions[2]!.keys()]).toEqual([...entries(10).map(([k]) => k), 'N1', 'N2', 'N3']);
  });

  it('changes an older version without touching the newer ones (a branch)', () => {
    const start = RowMap.from(entries(3));
    const a = start.upsert([['K1', 1], ['A', 1]]);
    const a2 = a.upsert([['K1', 2]]);
    const b = a.upsert([['K1', 9], ['B', 1]]).remove(['K0']);
    expect([a.get('K1'), a2.get('K1'), b.get('K1')]).toEqual([1, 2, 9]);
    expect([a2.has('B'), b.has('B'), b.has('K0'), a2.has('K0')]).toEqual([false, true, false, true]);
    expect([...b.keys()]).toEqual(['K1', 'K2', 'A', 'B']);
    expect([...a2.keys()]).toEqual(['K0', 'K1', 'K2', 'A']);
    const a3 = a2.upsert([['C', 3]]);
    expect([...a3.keys()]).toEqual(['K0', 'K1', 'K2', 'A', 'C']);
    expect(b.has('C')).toBe(false);
  });

  it('gives the oldest keys right when a removed key of the base comes back', () => {
    let map = RowMap.from(entries(5));
    map = map.remove(['K0', 'K1']);
    expect(map.oldestKeys(1)).toEqual(['K2']);
    map = map.upsert([['K0', 5]]);
    expect(map.oldestKeys(2)).toEqual(['K0', 'K2']);
  });

  it('folds branches of one lineage into bases of their own', () => {
    const start = RowMap.from(entries(10));
    const a = start.upsert(entries(5_000, 'A', 1));
    const b = start.upsert(entries(5_000, 'B', 2)).remove(['K3']);
    expect([a.size, b.size, start.size]).toEqual([5_010, 5_009, 10]);
    expect([a.get('A7'), a.has('B7'), b.get('B7'), b.has('A7'), b.has('K3'), a.get('K3')]).toEqual([1, false, 2, false, false, 0]);
    expect([...b.keys()].slice(0, 10)).toEqual(['K0', 'K1', 'K2', 'K4', 'K5', 'K6', 'K7', 'K8', 'K9', 'B0']);
    expect([...a.keys()].at(-1)).toBe('A4999');
    expect(b.toArray()).toHaveLength(5_009);
  });

  it('keeps a sliding window in arrival order while its removed rows are dropped from the base', () => {
    type Row = { readonly id: string };
    const id = (r: Row) => r.id;
    let map = RowMap.empty<Row>();
    for (let i = 0; i < 40_000; i += 50) map = map.upsertKeepingNewest(Array.from({ length: 50 }, (_, k) => ({ id: `E${i + k}` })), id, 5_000);
    expect(map.size).toBe(5_000);
    expect(map.oldestKeys(2)).toEqual(['E35000', 'E35001']);
    expect(map.toArray().map(id)).toEqual(Array.from({ length: 5_000 }, (_, k) => `E${35_000 + k}`));
    expect(map.has('E34999')).toBe(false);
  });
});

