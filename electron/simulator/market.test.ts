import { describe, expect, it } from 'vitest';
import { Market } from './market';

const symbols = [
  { symbol: 'EURUSD', referencePrice: '1.08500', tickSize: '0.00001', volatility: 0.001, liquidity: '1000000', volumePerTick: 100 },
  { symbol: 'ESZ6', referencePrice: '6000.10', tickSize: '0.25', volatility: 0.01, liquidity: '100', volumePerTick: 10 },
];

const walk = (seed: number, ticks: number) => {
  const m = new Market(symbols, seed);
  const path: string[] = [];
  for (let i = 0; i < ticks; i++) {
    m.tick();
    path.push(m.quote('EURUSD')!.price.toFixed(), m.quote('ESZ6')!.price.toFixed());
  }
  return { path, market: m };
};

describe('Market', () => {
  it('starts at the reference price on the tick grid', () => {
    const m = new Market(symbols, 1);
    expect(m.quote('EURUSD')!.price.toFixed()).toBe('1.085');
    expect(m.quote('ESZ6')!.price.toFixed()).toBe('6000');
    expect(m.quote('NOPE')).toBeUndefined();
  });

  it('walks the same way for the same seed, another way for another seed', () => {
    expect(walk(42, 50).path).toEqual(walk(42, 50).path);
    expect(walk(42, 50).path).not.toEqual(walk(43, 50).path);
  });

  it('keeps prices on the tick grid and above zero, and adds volume', () => {
    const { path, market } = walk(7, 200);
    expect(new Set(path).size).toBeGreaterThan(10);
    for (let i = 0; i < path.length; i += 2) {
      expect(path[i]).toMatch(/^\d+(\.\d{1,5})?$/);
      expect(Number(path[i + 1]) % 0.25).toBe(0);
    }
    expect(market.quote('EURUSD')!.volume.greaterThan(0)).toBe(true);
  });
});
