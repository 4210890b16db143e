import { describe, expect, it } from 'vitest';
import { FIX_GROUPS, groupsOf } from './fix-groups';
import { fixGroupsFromJspurefix } from './jspurefix-dictionary.test-support';

describe('the repeating-group table', () => {
  it("equals what jspurefix's FIX dictionaries say today (regenerate with scripts/generate-fix-groups.ts)", async () => {
    expect(await fixGroupsFromJspurefix()).toEqual(FIX_GROUPS);
  }, 60_000);

  it('knows the market data entries of every version, with the entry type first where the version puts it', () => {
    expect(groupsOf('FIX.4.4', 'W')['268']?.delimiter).toBe(269);
    expect(groupsOf('FIX.4.2', 'X')['268']?.delimiter).toBe(279);
    expect(groupsOf('FIX.5.0SP2', 'V')['146']?.members).toContain(48);
    expect(groupsOf('FIX.4.4', 'Z')).toEqual({});
  });
});
