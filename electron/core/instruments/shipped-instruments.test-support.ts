import { fileURLToPath } from 'node:url';
import type { Instrument } from '../../../shared/domain/instrument';
import { loadInstrumentFile } from './instrument-file';
import { InstrumentMaster } from './instrument-master';

/** The reference file shipped with the desk, for tests that need real instruments of each class. */
export const SHIPPED_INSTRUMENTS_PATH = fileURLToPath(new URL('../../../config/instruments.csv', import.meta.url));

let master: InstrumentMaster | undefined;

export function shippedMaster(): InstrumentMaster {
  master ??= new InstrumentMaster(loadInstrumentFile(SHIPPED_INSTRUMENTS_PATH));
  return master;
}

/** One shipped instrument by id (throws for an id the file does not have). */
export function shippedInstrument(id: string): Instrument {
  const instrument = shippedMaster().get(id);
  if (instrument === undefined) throw new Error(`no instrument ${id} in ${SHIPPED_INSTRUMENTS_PATH}`);
  return instrument;
}
