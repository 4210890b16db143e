import type { FixVersion } from '../config/desk-config';
import type { FixFields } from './outbound-mapping';

/**
 * What differs between the FIX versions the desk speaks. Messages are built once, in FIX 4.4 field
 * names (components Instrument and OrderQtyData); `toWire` reshapes them for the version's
 * dictionary. FIX 5.0SP2 has the 4.4 shapes; FIX 4.2 has no components and calls LastQty LastShares.
 */
export interface FixDialect {
  readonly version: FixVersion;
  /** BeginString (8): FIXT.1.1 for FIX 5.0SP2, whose application version travels as DefaultApplVerID. */
  readonly beginString: string;
  /** The jspurefix dictionary (see jspurefix's data/dictionary.json). */
  readonly dictionary: string;
  /** Extra Logon fields (DefaultApplVerID for FIXT). */
  readonly logon?: Readonly<Record<string, string>>;
  /** FIX 4.2: busts, corrections and status reports are ExecTransType values, not ExecTypes. */
  readonly execTransType: boolean;
  toWire(fields: FixFields): FixFields;
}

const identity = (fields: FixFields): FixFields => fields;

/** FIX 4.2 has flat Symbol / OrderQty fields and LastShares instead of LastQty. */
function flattenFor42(fields: FixFields): FixFields {
  const out: Record<string, FixFields[string]> = {};
  for (const [name, value] of Object.entries(fields)) {
    if ((name === 'Instrument' || name === 'OrderQtyData') && typeof value === 'object' && !(value instanceof Date)) {
      Object.assign(out, value);
    } else if (name === 'LastQty') {
      out.LastShares = value;
    } else {
      out[name] = value;
    }
  }
  return out;
}

const DIALECTS: Readonly<Record<FixVersion, FixDialect>> = {
  'FIX.4.2': { version: 'FIX.4.2', beginString: 'FIX.4.2', dictionary: 'qf42', execTransType: true, toWire: flattenFor42 },
  'FIX.4.4': { version: 'FIX.4.4', beginString: 'FIX.4.4', dictionary: 'qf44', execTransType: false, toWire: identity },
  // DefaultApplVerID 9 = FIX 5.0SP2. repo50sp2 loads far faster than qf50sp2 (see shared/fix-notes.md).
  'FIX.5.0SP2': { version: 'FIX.5.0SP2', beginString: 'FIXT.1.1', dictionary: 'repo50sp2', logon: { DefaultApplVerID: '9' }, execTransType: false, toWire: identity },
};

export function fixDialect(version: FixVersion): FixDialect {
  return DIALECTS[version];
}
