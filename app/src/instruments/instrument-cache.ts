import type { Instrument } from '../../../shared/domain/instrument';

/**
 * Instruments this window has seen in full (search results, `getInstrument` answers), by id: what the
 * grids use for an instrument's tick size without asking the desk per cell.
 */
const known = new Map<string, Instrument>();

export function rememberInstruments(instruments: Iterable<Instrument>): void {
  for (const i of instruments) known.set(i.id, i);
}

export function knownInstrument(id: string | undefined): Instrument | undefined {
  return id === undefined ? undefined : known.get(id);
}
