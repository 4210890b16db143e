// Development only (the generator script and tests; jspurefix is a devDependency): jspurefix supplies the FIX dictionaries.
import 'reflect-metadata';
import { DefinitionFactory } from 'jspurefix';
import type { ContainedComponentField, ContainedField, ContainedFieldSet, ContainedGroupField, ContainedSimpleField } from 'jspurefix';
import type { FixGroupTable, GroupLayout } from './fix-groups';

/** The dictionaries the desk speaks, by the BeginString/ApplVer name the config uses. */
export const DICTIONARIES = { 'FIX.4.2': 'qf42', 'FIX.4.4': 'qf44', 'FIX.5.0SP2': 'qf50sp2' } as const;

/** The messages whose repeating groups the desk reads or writes. */
export const MESSAGES = ['V', 'W', 'X', 'Y', 'D'] as const;

/** Reads every repeating group of MESSAGES from jspurefix's dictionaries: components flattened, groups nested. */
export async function fixGroupsFromJspurefix(): Promise<FixGroupTable> {
  const table: Record<string, Record<string, Record<string, GroupLayout>>> = {};
  for (const [version, dictionary] of Object.entries(DICTIONARIES)) {
    const definitions = await new DefinitionFactory().getDefinitions(dictionary);
    const messages: Record<string, Record<string, GroupLayout>> = {};
    for (const msgType of MESSAGES) {
      const message = [...definitions.message.values()].find((m) => m.msgType === msgType);
      if (message === undefined) continue;
      messages[msgType] = groupsOf(message);
    }
    table[version] = messages;
  }
  return table;
}

/** The groups directly inside a set (looking through components), by their NoXXX count tag. */
function groupsOf(set: ContainedFieldSet): Record<string, GroupLayout> {
  const groups: Record<string, GroupLayout> = {};
  for (const field of set.fields) visit(field, groups, undefined);
  return groups;
}

/** Collects the member tags of a group level (into `tags`) and the groups it contains (into `groups`). */
function visit(field: ContainedField, groups: Record<string, GroupLayout>, tags: number[] | undefined): void {
  switch (field.type) {
    case 2: // simple
      tags?.push((field as ContainedSimpleField).definition.tag);
      return;
    case 0: // component: not on the wire, its fields are
      for (const f of (field as ContainedComponentField).definition.fields) visit(f, groups, tags);
      return;
    case 1: {
      const group = (field as ContainedGroupField).definition;
      const countTag = group.noOfField?.tag;
      if (countTag === undefined) return;
      tags?.push(countTag);
      const members: number[] = [];
      const nested: Record<string, GroupLayout> = {};
      for (const f of group.fields) visit(f, nested, members);
      const delimiter = members[0];
      if (delimiter === undefined) return;
      groups[String(countTag)] = { delimiter, members, ...(Object.keys(nested).length > 0 && { groups: nested }) };
      return;
    }
  }
}

/** For conformance tests: every tag a message may carry (header and body, components and groups looked through), and a field's enum values by tag. */
export async function dictionaryFacts(version: keyof typeof DICTIONARIES): Promise<{ messageTags(msgType: string): ReadonlySet<number>; enumValues(tag: number): ReadonlySet<string> | undefined }> {
  const definitions = await new DefinitionFactory().getDefinitions(DICTIONARIES[version]);
  return {
    messageTags(msgType) {
      const message = [...definitions.message.values()].find((m) => m.msgType === msgType);
      if (message === undefined) throw new Error(`${version} has no message ${msgType}`);
      return new Set(message.flattenedTag);
    },
    enumValues(tag) {
      const simple = definitions.tagToSimple[tag];
      const values = simple?.enums;
      return values === null || values === undefined ? undefined : new Set(values.keys());
    },
  };
}
