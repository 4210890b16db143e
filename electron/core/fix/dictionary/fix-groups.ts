import table from './fix-groups.json';

/**
 * The repeating groups of the FIX messages the desk reads and writes, per FIX version and MsgType,
 * generated from jspurefix's dictionaries (`scripts/generate-fix-groups.ts`; a test checks the file
 * still equals them). The desk parses groups by this table, never by hand-kept tag lists, and loads
 * no FIX engine at run time.
 */
export interface GroupLayout {
  /** The first field of every entry: where a new entry starts. */
  readonly delimiter: number;
  /** Every tag an entry may hold at its own level (components looked through), count tags of nested groups included. */
  readonly members: readonly number[];
  /** Groups nested in an entry, by their count tag. */
  readonly groups?: Readonly<Record<string, GroupLayout>>;
}

export type FixGroupTable = Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, GroupLayout>>>>>>;

export const FIX_GROUPS: FixGroupTable = table;

const NONE: Readonly<Record<string, GroupLayout>> = {};

/** The groups of a message type in a FIX version, by count tag (none when it has none). */
export function groupsOf(fixVersion: string, msgType: string): Readonly<Record<string, GroupLayout>> {
  return FIX_GROUPS[fixVersion]?.[msgType] ?? NONE;
}
