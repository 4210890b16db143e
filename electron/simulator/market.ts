import type { Decimal } from 'decimal.js';
import { Dec } from './sim-decimal';
import type { SimulatedSymbolConfig } from './simulator-config';
import { SeededRandom } from './seeded-random';

export interface Quote {
  readonly symbol: string;
  readonly price: Decimal;
  readonly tickSize: Decimal;
  readonly liquidity: Decimal;
  /** Simulated traded volume since start. */
  readonly volume: Decimal;
}

/**
 * One simulated market shared by every broker: a seeded random walk per symbol, prices kept on the
 * symbol's tick grid and never below one tick. Money is decimal; only the random step is a float.
 */
export class Market {
  private readonly quotes = new Map<string, { price: Decimal; volume: Decimal; readonly config: SimulatedSymbolConfig; readonly tickSize: Decimal; readonly liquidity: Decimal }>();
  private readonly random: SeededRandom;

  constructor(symbols: readonly SimulatedSymbolConfig[], seed: number) {
    this.random = new SeededRandom(seed);
    for (const config of symbols) {
      const tickSize = new Dec(config.tickSize);
      this.quotes.set(config.symbol, {
        price: roundToTick(new Dec(config.referencePrice), tickSize),
        volume: new Dec(0),
        config,
        tickSize,
        liquidity: new Dec(config.liquidity),
      });
    }
  }

  quote(symbol: string): Quote | undefined {
    const q = this.quotes.get(symbol);
    return q && { symbol, price: q.price, tickSize: q.tickSize, liquidity: q.liquidity, volume: q.volume };
  }

  symbols(): string[] {
    return [...this.quotes.keys()];
  }

  /** Moves every price one random step and adds simulated traded volume. */
  tick(): void {
    for (const q of this.quotes.values()) {
      const step = q.config.volatility * this.random.gaussian();
      const moved = roundToTick(q.price.times(new Dec(1).plus(step.toFixed(12))), q.tickSize);
      q.price = Dec.max(moved, q.tickSize);
      q.volume = q.volume.plus(this.random.integer(q.config.volumePerTick));
    }
  }

  /** Sets a price by hand (tests, scenarios). */
  setPrice(symbol: string, price: Decimal.Value): void {
    const q = this.quotes.get(symbol);
    if (q === undefined) throw new Error(`unknown symbol ${symbol}`);
    q.price = roundToTick(new Dec(price), q.tickSize);
  }
}

export function roundToTick(price: Decimal, tickSize: Decimal): Decimal {
  return price.dividedBy(tickSize).toDecimalPlaces(0, Dec.ROUND_HALF_EVEN).times(tickSize);
}
