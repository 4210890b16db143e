import { describe, expect, it } from 'vitest';
import type { PositionRow } from '../../../shared/contract/positions';
import { exposureBy, groupPositions, keepHierarchy, sumsOf } from './position-groups';

const row = (key: string, fields: Partial<PositionRow>): PositionRow => ({
  key,
  version: 1,
  fund: 'MACRO',
  baseCurrency: 'USD',
  account: key.split('|')[0] as string,
  instrumentId: key.split('|')[1] as string,
  symbol: 'X',
  name: 'X',
  assetClass: 'equity',
  currency: 'USD',
  quantity: '1',
  startQuantity: '0',
  bought: '1',
  sold: '0',
  traded: '1',
  realised: '0',
  exposureCurrency: 'USD',
  ...fields,
});

const rows = [
  row('A|AAPL', { pnlBase: '0.1', realisedBase: '0.1', unrealisedBase: '0', grossExposureBase: '100.10', exposureBase: '100.10' }),
  row('A|ES', { assetClass: 'future', pnlBase: '0.2', realisedBase: '0', unrealisedBase: '0.2', grossExposureBase: '250000', exposureBase: '-250000' }),
  row('B|BUND', { fund: 'EURO', baseCurrency: 'EUR', assetClass: 'bond', currency: 'EUR', pnlBase: '5', exposureCurrency: 'EUR' }),
];

describe('positions grouped with subtotals', () => {
  it('groups by fund, then asset class, with exact subtotals in the base currency; closed groups hide their members', () => {
    const { rows: grid, total } = groupPositions(rows, ['fund', 'assetClass'], new Set(['fund=MACRO/']));
    expect(grid.map((r) => (r.kind === 'position' ? `  ${r.id}` : `${r.id} ${r.count} ${r.kind === 'group' ? (r.sums.pnlBase ?? '-') : ''}`))).toEqual([
      'fund=EURO/ 1 5',
      'fund=MACRO/ 2 0.3',
      'fund=MACRO/assetClass=equity/ 1 0.1',
      'fund=MACRO/assetClass=future/ 1 0.2',
    ]);
    // 0.1 + 0.2 is 0.3 exactly; funds in two base currencies give the grand total no sums
    expect(total).toMatchObject({ kind: 'total', count: 3, sums: {} });
    const opened = groupPositions(rows, ['fund', 'assetClass'], new Set(['fund=MACRO/', 'fund=MACRO/assetClass=future/'])).rows;
    expect(opened.map((r) => r.id)).toContain('A|ES');
    expect(opened.find((r) => r.id === 'A|ES')?.depth).toBe(2);
  });

  it('marks a subtotal partial when a position lacks a figure (no mark or no rate)', () => {
    const { total } = groupPositions(rows.slice(0, 2).concat(row('C|X', {})), [], new Set());
    expect(total).toMatchObject({ partial: true, baseCurrency: 'USD', sums: { pnlBase: '0.3', exposureBase: '-249899.9' } });
  });

  it('subtotals in the positions’ own currency where a group is in one, in base currency always; the grand total in base only', () => {
    const mixed = [
      row('A|AAPL', { realised: '10.10', unrealised: '5', pnl: '15.10', exposure: '100', grossExposure: '100', realisedBase: '10.10', unrealisedBase: '5', pnlBase: '15.10', exposureBase: '100', grossExposureBase: '100' }),
      row('A|MSFT', { realised: '0.20', unrealised: '-1', pnl: '-0.80', exposure: '-40', grossExposure: '40', realisedBase: '0.20', unrealisedBase: '-1', pnlBase: '-0.80', exposureBase: '-40', grossExposureBase: '40' }),
      // GBP at GBP/USD 1.25
      row('A|VOD', { currency: 'GBP', exposureCurrency: 'GBP', realised: '2', unrealised: '1', pnl: '3', exposure: '50', grossExposure: '50', realisedBase: '2.5', unrealisedBase: '1.25', pnlBase: '3.75', exposureBase: '62.5', grossExposureBase: '62.5' }),
    ];
    const byCurrency = groupPositions(mixed, ['fund', 'currency'], new Set(['fund=MACRO/']));
    const group = (id: string) => byCurrency.rows.find((r) => r.id === id);
    // The fund holds USD and GBP: base-currency subtotals only.
    expect(group('fund=MACRO/')).toMatchObject({ sums: { pnlBase: '18.05', exposureBase: '122.5', grossExposureBase: '202.5' }, baseCurrency: 'USD' });
    expect(group('fund=MACRO/')).not.toHaveProperty('currency');
    expect((group('fund=MACRO/') as { sums: object }).sums).not.toHaveProperty('pnl');
    // Each currency group: its own currency's subtotals beside the base ones (10.10 + 0.20 = 10.30 exactly).
    expect(group('fund=MACRO/currency=USD/')).toMatchObject({ currency: 'USD', exposureCurrency: 'USD', sums: { realised: '10.3', unrealised: '4', pnl: '14.3', exposure: '60', grossExposure: '140', pnlBase: '14.3' } });
    expect(group('fund=MACRO/currency=GBP/')).toMatchObject({ currency: 'GBP', sums: { realised: '2', pnl: '3', exposure: '50', pnlBase: '3.75', realisedBase: '2.5' } });
    // The grand total: base currency only, even where every position is in one currency.
    expect(byCurrency.total).toMatchObject({ sums: { pnlBase: '18.05', realisedBase: '12.8' }, baseCurrency: 'USD' });
    expect((groupPositions(mixed.slice(0, 2), [], new Set()).total as { sums: object }).sums).not.toHaveProperty('pnl');
  });

  it('an FX position’s exposure is in its base currency: no exposure subtotal where the legs differ, the P&L one still', () => {
    const fx = [row('A|EURUSD', { assetClass: 'fx', exposureCurrency: 'EUR', pnl: '100', exposure: '1000000' }), row('A|AAPL', { pnl: '1', exposure: '10' })];
    const usd = groupPositions(fx, ['currency'], new Set()).rows[0];
    expect(usd).toMatchObject({ currency: 'USD', sums: { pnl: '101' } });
    expect((usd as { sums: object }).sums).not.toHaveProperty('exposure');
  });

  it('the same sums whether a group is open or closed (each position added once)', () => {
    const closed = groupPositions(rows, ['fund', 'assetClass'], new Set());
    const open = groupPositions(rows, ['fund', 'assetClass'], new Set(['fund=MACRO/', 'fund=MACRO/assetClass=equity/']));
    const macro = (r: typeof closed) => r.rows.find((x) => x.id === 'fund=MACRO/');
    expect(macro(open)).toEqual({ ...macro(closed), expanded: true });
    expect(open.total).toEqual(closed.total);
  });

  it('keeps sums by delta from one call to the next: a changed, an added and a removed position', () => {
    const by = ['fund'] as const;
    const first = groupPositions(rows, by, new Set());
    expect(first.rows.find((r) => r.id === 'fund=MACRO/')).toMatchObject({ sums: { pnlBase: '0.3' } });
    // AAPL's P&L moves (a new row object), and a new position arrives.
    const moved = [row('A|AAPL', { pnlBase: '1.15', realisedBase: '0.1', unrealisedBase: '1.05', grossExposureBase: '100.10', exposureBase: '100.10' }), ...rows.slice(1), row('A|MSFT', { pnlBase: '-0.05', realisedBase: '0', unrealisedBase: '-0.05', grossExposureBase: '1', exposureBase: '-1' })];
    const second = groupPositions(moved, by, new Set());
    expect(second.rows.find((r) => r.id === 'fund=MACRO/')).toMatchObject({ count: 3, sums: { pnlBase: '1.3', exposureBase: '-249900.9' } });
    expect(second.rows.find((r) => r.id === 'fund=MACRO/')).toEqual(expect.objectContaining(sumsOf(moved.filter((r) => r.fund === 'MACRO'))));
    // Filtered down to one: counted again.
    const third = groupPositions([moved[0]!], by, new Set());
    expect(third.rows).toHaveLength(1);
    expect(third.rows[0]).toMatchObject({ count: 1, sums: { pnlBase: '1.15' } });
    expect(third.total).toMatchObject({ count: 1, sums: { pnlBase: '1.15' } });
  });

  it('keeps sums and grid rows by place across frames: same places, one changed, then another position in a place', () => {
    const many = Array.from({ length: 6 }, (_, i) => row(`A|N${i}`, { pnlBase: `${i}.01`, realisedBase: '0', unrealisedBase: `${i}.01`, grossExposureBase: '1', exposureBase: '1' }));
    const first = groupPositions(many, [], new Set());
    const again = groupPositions([...many], [], new Set());
    // Nothing changed: the same grid rows (no update), the same sums.
    expect(again.rows.every((r, i) => r === first.rows[i])).toBe(true);
    expect(again.total).toEqual(first.total);
    const changed = many.map((r, i) => (i === 2 ? row(r.key, { pnlBase: '-7.5', realisedBase: '-8', unrealisedBase: '0.5', grossExposureBase: '1', exposureBase: '1' }) : r));
    const second = groupPositions(changed, [], new Set());
    expect(second.rows.filter((r, i) => r !== first.rows[i]).map((r) => r.id)).toEqual(['A|N2']);
    expect(second.total).toMatchObject(sumsOf(changed, false));
    // Same count, another position in place 3 (one left, one arrived): counted right all the same.
    const swapped = changed.map((r, i) => (i === 3 ? row('A|N3b', { pnlBase: '100', realisedBase: '100', unrealisedBase: '0', grossExposureBase: '2', exposureBase: '-2' }) : r));
    const third = groupPositions(swapped, [], new Set());
    expect(third.total).toMatchObject(sumsOf(swapped, false));
    expect(third.rows.map((r) => r.id)).toEqual(swapped.map((r) => r.key));
  });

  it('keeps sorted rows in their groups', () => {
    const sorted = [
      { id: 'g2/', parent: '' },
      { id: 'b', parent: 'g1/' },
      { id: 'g1/', parent: '' },
      { id: 'c', parent: 'g2/' },
      { id: 'a', parent: 'g1/' },
    ];
    expect(keepHierarchy(sorted).map((r) => r.id)).toEqual(['g2/', 'c', 'g1/', 'b', 'a']);
  });

  it('sums gross exposure per asset class and per currency for the chart', () => {
    expect(exposureBy(rows, 'assetClass')).toEqual([
      { label: 'equity', value: 100.1 },
      { label: 'future', value: 250000 },
    ]);
  });
});
