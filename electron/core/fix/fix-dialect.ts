import type { FixVersion } from '../config/desk-config';

/**
 * What differs between the FIX versions the desk speaks, for the messages it exchanges: the
 * BeginString, the Logon of FIXT.1.1, and FIX 4.2's ExecTransType. The fields themselves are the
 * same tags on the wire in every version (outbound-messages.ts, inbound-mapping.ts).
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
}

const DIALECTS: Readonly<Record<FixVersion, FixDialect>> = {
  'FIX.4.2': { version: 'FIX.4.2', beginString: 'FIX.4.2', dictionary: 'qf42', execTransType: true },
  'FIX.4.4': { version: 'FIX.4.4', beginString: 'FIX.4.4', dictionary: 'qf44', execTransType: false },
  // DefaultApplVerID 9 = FIX 5.0SP2. repo50sp2 loads far faster than qf50sp2 (see shared/fix-notes.md).
  'FIX.5.0SP2': { version: 'FIX.5.0SP2', beginString: 'FIXT.1.1', dictionary: 'repo50sp2', logon: { DefaultApplVerID: '9' }, execTransType: false },
};

export function fixDialect(version: FixVersion): FixDialect {
  return DIALECTS[version];
}
