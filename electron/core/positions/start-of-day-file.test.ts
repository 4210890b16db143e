import { describe, expect, it } from 'vitest';
import { shippedMaster } from '../instruments/shipped-instruments.test-support';
import { parseStartOfDayFile } from './start-of-day-file';

const accounts = ['FUND-ALPHA', 'FUND-BETA'];

describe('the start-of-day file', () => {
  it('reads signed quantities and prices per position, with the instrument’s terms', () => {
    const parsed = parseStartOfDayFile('account,instrumentId,quantity,price\nFUND-ALPHA,AAPL.XNAS,100,140.5\nFUND-BETA,ESZ6.XCME,-3,-1.25\n', accounts, shippedMaster());
    expect(parsed.ok && parsed.positions.map((p) => [p.account, p.instrument.id, p.quantity, p.price])).toEqual([
      ['FUND-ALPHA', 'AAPL.XNAS', '100', '140.5'],
      ['FUND-BETA', 'ESZ6.XCME', '-3', '-1.25'],
    ]);
  });

  it('refuses the whole file for any bad row, naming each line and field', () => {
    const text = ['account,instrumentId,quantity,price', 'FUND-ALPHA,AAPL.XNAS,100,140', 'FUND-ALPHA,AAPL.XNAS,5,1', 'FUND-BETA,MSFT.XNAS,1,-2', 'FUND-BETA,MSFT.XNAS,1e3,2'].join('\n');
    const parsed = parseStartOfDayFile(text, accounts, shippedMaster());
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? [] : parsed.problems.map((p) => `${p.line} ${p.field ?? ''}`)).toEqual(['3 instrumentId', '4 price', '5 quantity', '5 instrumentId']);
  });

  it('refuses a header without its columns', () => {
    const parsed = parseStartOfDayFile('account,quantity\nFUND-ALPHA,1\n', accounts, shippedMaster());
    expect(parsed.ok ? [] : parsed.problems.map((p) => p.message)).toEqual(expect.arrayContaining(['the header lacks the column instrumentId', 'the header lacks the column price']));
  });
});
