import type { GroupLayout } from './dictionary/fix-groups';
import type { FixField } from './fix-wire';

/** A message, or one entry of a repeating group: its fields and the groups it holds. */
export interface FixEntry {
  readonly fields: ReadonlyMap<number, string>;
  readonly groups: ReadonlyMap<number, readonly FixEntry[]>;
}

/** Why a message's groups cannot be read, with the FIX SessionRejectReason (373) that says so. */
export interface GroupProblem {
  readonly tag: number;
  /** 13 tag appears more than once, 15 repeating group fields out of order, 16 incorrect NumInGroup count. */
  readonly sessionRejectReason: 13 | 15 | 16;
  readonly text: string;
}

/**
 * Reads a message body into its fields and nested repeating groups by the dictionary's layouts
 * (fix/dictionary): an entry starts at its group's delimiter tag and holds its members until a tag
 * that is not one (or the next delimiter). The count must match the entries, and no tag may repeat
 * within one level: anything else is refused, as a FIX engine refuses it.
 */
export function readGroups(fields: readonly FixField[], layouts: Readonly<Record<string, GroupLayout>>): { ok: true; message: FixEntry } | { ok: false; problem: GroupProblem } {
  const cursor = { at: 0 };
  try {
    const message = readLevel(fields, cursor, layouts, undefined);
    return { ok: true, message };
  } catch (e) {
    if (e instanceof GroupError) return { ok: false, problem: e.problem };
    throw e;
  }
}

class GroupError extends Error {
  constructor(readonly problem: GroupProblem) {
    super(problem.text);
  }
}

/** One level: the message (no `layout`), or one entry of the group `layout`. */
function readLevel(fields: readonly FixField[], cursor: { at: number }, groups: Readonly<Record<string, GroupLayout>>, layout: GroupLayout | undefined): FixEntry {
  const own = new Map<number, string>();
  const nested = new Map<number, FixEntry[]>();
  const members = layout === undefined ? undefined : memberSet(layout);
  const countTagsHere = byCountTag(groups);
  while (cursor.at < fields.length) {
    const [tag, value] = fields[cursor.at] as FixField;
    if (layout !== undefined) {
      if (tag === layout.delimiter && own.size > 0) break; // the next entry starts
      if (!members?.has(tag)) break; // back to the enclosing level
    }
    if (own.has(tag)) throw new GroupError({ tag, sessionRejectReason: 13, text: `tag ${tag} appears more than once` });
    own.set(tag, value);
    cursor.at++;
    const group = countTagsHere.get(tag);
    if (group !== undefined) nested.set(tag, readEntries(fields, cursor, tag, value, group));
  }
  return { fields: own, groups: nested };
}

function readEntries(fields: readonly FixField[], cursor: { at: number }, countTag: number, countText: string, layout: GroupLayout): FixEntry[] {
  if (!/^\d{1,6}$/.test(countText)) throw new GroupError({ tag: countTag, sessionRejectReason: 16, text: `NumInGroup ${countTag} '${countText}' is not a count` });
  const count = Number(countText);
  const entries: FixEntry[] = [];
  while (entries.length < count) {
    const next = fields[cursor.at];
    if (next === undefined || next[0] !== layout.delimiter) {
      const found = next === undefined ? 'the end of the message' : `tag ${next[0]}`;
      throw new GroupError({
        tag: countTag,
        sessionRejectReason: entries.length > 0 && next !== undefined && memberSet(layout).has(next[0]) ? 15 : 16,
        text: `group ${countTag} declares ${count} entries but entry ${entries.length + 1} does not start with ${layout.delimiter} (found ${found})`,
      });
    }
    entries.push(readLevel(fields, cursor, layout.groups ?? NO_GROUPS, layout));
  }
  const after = fields[cursor.at];
  if (after !== undefined && after[0] === layout.delimiter) {
    throw new GroupError({ tag: countTag, sessionRejectReason: 16, text: `group ${countTag} declares ${count} entries but has more` });
  }
  return entries;
}

const memberSets = new WeakMap<GroupLayout, ReadonlySet<number>>();

function memberSet(layout: GroupLayout): ReadonlySet<number> {
  let set = memberSets.get(layout);
  if (set === undefined) {
    set = new Set(layout.members);
    memberSets.set(layout, set);
  }
  return set;
}

const NO_GROUPS: Readonly<Record<string, GroupLayout>> = {};
const countTags = new WeakMap<object, ReadonlyMap<number, GroupLayout>>();

/** A message's or entry's groups by their count tag as a number (read once per field of every message). */
function byCountTag(groups: Readonly<Record<string, GroupLayout>>): ReadonlyMap<number, GroupLayout> {
  let map = countTags.get(groups);
  if (map === undefined) {
    map = new Map(Object.entries(groups).map(([tag, layout]) => [Number(tag), layout]));
    countTags.set(groups, map);
  }
  return map;
}
