import { describe, expect, it } from 'vitest';
import type { PositionRow } from '../../../shared/contract/positions';
import { exposureBy, groupPositions, keepHierarchy } from './position-groups';

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
