import { describe, expect, it } from 'vitest';
import { groupsOf } from './dictionary/fix-groups';
import { readGroups } from './fix-groups-reader';
import type { FixField } from './fix-wire';

const fields = (text: string): FixField[] => text.split('|').filter((f) => f !== '').map((f) => [Number(f.slice(0, f.indexOf('='))), f.slice(f.indexOf('=') + 1)]);
const x44 = groupsOf('FIX.4.4', 'X');

describe('reading repeating groups by the dictionary', () => {
  it('reads an incremental refresh: entries in order, each with its own fields', () => {
    const read = readGroups(fields('262=R1|268=3|279=0|269=0|55=AAPL|270=190.01|271=500|279=1|269=1|55=AAPL|270=190.03|271=200|279=2|269=2|55=AAPL|270=190.02|271=100|'), x44);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.message.fields.get(262)).toBe('R1');
    const entries = read.message.groups.get(268) ?? [];
    expect(entries.map((e) => [e.fields.get(279), e.fields.get(269), e.fields.get(270), e.fields.get(271)])).toEqual([
      ['0', '0', '190.01', '500'],
      ['1', '1', '190.03', '200'],
      ['2', '2', '190.02', '100'],
    ]);
  });

  it('reads nested groups (an entry of a snapshot with its own party ids) and fields after the group', () => {
    const w44 = groupsOf('FIX.4.4', 'W');
    const read = readGroups(fields('262=R1|55=AAPL|268=2|269=0|270=1.5|271=10|269=1|270=1.6|271=20|'), w44);
    expect(read.ok && read.message.groups.get(268)?.length).toBe(2);
  });

  it.each([
    ['too few entries', '262=R1|268=2|279=0|269=0|270=1|', 16],
    ['too many entries', '262=R1|268=1|279=0|269=0|270=1|279=0|269=1|270=2|', 16],
    ['an entry that does not start with its delimiter', '262=R1|268=1|269=0|279=0|270=1|', 16],
    ['a count that is no number', '262=R1|268=two|279=0|', 16],
    ['a tag repeated within an entry', '262=R1|268=1|279=0|269=0|270=1|270=2|', 13],
  ])('refuses %s with the SessionRejectReason a FIX engine gives', (_what, text, reason) => {
    const read = readGroups(fields(text), x44);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.problem.sessionRejectReason).toBe(reason);
  });
});
