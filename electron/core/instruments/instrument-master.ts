import type { Instrument } from '../../../shared/domain/instrument';

/**
 * The desk's instruments, by stable id, and the search the ticket's picker uses: by symbol, id,
 * ISIN or any word of the name, best matches first (exact symbol, then prefixes, then anywhere).
 */
export class InstrumentMaster {
  private readonly byId = new Map<string, Instrument>();
  private readonly byIsin = new Map<string, Instrument>();
  private readonly bySymbol = new Map<string, Instrument[]>();
  private readonly searchText: ReadonlyArray<{ readonly instrument: Instrument; readonly symbol: string; readonly id: string; readonly isin: string; readonly words: readonly string[]; readonly name: string }>;

  constructor(instruments: readonly Instrument[]) {
    for (const i of instruments) {
      if (this.byId.has(i.id)) throw new Error(`instrument id ${i.id} appears twice`);
      this.byId.set(i.id, i);
      if (i.isin !== undefined) this.byIsin.set(i.isin, i);
      const same = this.bySymbol.get(i.symbol) ?? [];
      same.push(i);
      this.bySymbol.set(i.symbol, same);
    }
    this.searchText = instruments.map((instrument) => ({
      instrument,
      symbol: instrument.symbol.toUpperCase(),
      id: instrument.id.toUpperCase(),
      isin: (instrument.isin ?? '').toUpperCase(),
      name: instrument.name.toUpperCase(),
      words: instrument.name.toUpperCase().split(/[^A-Z0-9%.]+/).filter((w) => w !== ''),
    }));
  }

  get(id: string): Instrument | undefined {
    return this.byId.get(id);
  }

  withIsin(isin: string): Instrument | undefined {
    return this.byIsin.get(isin);
  }

  /** Every instrument whose FIX Symbol is `symbol` (an equity and its options share one). */
  withSymbol(symbol: string): readonly Instrument[] {
    return this.bySymbol.get(symbol) ?? [];
  }

  all(): readonly Instrument[] {
    return [...this.byId.values()];
  }

  /** Instruments matching `query` (case-insensitive), best first, at most `limit`. */
  search(query: string, limit = 20): Instrument[] {
    const q = query.trim().toUpperCase();
    if (q === '') return [];
    const scored: Array<{ instrument: Instrument; score: number; order: number }> = [];
    this.searchText.forEach((t, order) => {
      const score = matchScore(t, q);
      if (score > 0) scored.push({ instrument: t.instrument, score, order });
    });
    scored.sort((a, b) => b.score - a.score || a.order - b.order);
    return scored.slice(0, Math.max(0, limit)).map((s) => s.instrument);
  }
}

function matchScore(t: { symbol: string; id: string; isin: string; name: string; words: readonly string[] }, q: string): number {
  if (t.symbol === q || t.id === q || t.isin === q) return 100;
  if (t.symbol.startsWith(q)) return 80;
  if (t.id.startsWith(q)) return 70;
  if (t.isin !== '' && t.isin.startsWith(q)) return 60;
  if (t.words.some((w) => w.startsWith(q))) return 50;
  if (t.name.includes(q)) return 30;
  if (t.symbol.includes(q) || t.id.includes(q)) return 20;
  return 0;
}
