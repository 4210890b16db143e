import { describe, expect, it } from 'vitest';
import { parseCommand } from './commands';
import { MAX_QUOTE_INSTRUMENTS } from './market-data';

describe('quote subscription commands', () => {
  it('take a holder and instrument ids', () => {
    expect(parseCommand('subscribeQuotes', { holder: 'ticket@w1', instrumentIds: ['AAPL.XNAS', 'EURUSD.3M'] })).toEqual({ ok: true, params: { holder: 'ticket@w1', instrumentIds: ['AAPL.XNAS', 'EURUSD.3M'] } });
    expect(parseCommand('unsubscribeQuotes', { holder: 'ticket@w1' }).ok).toBe(true);
  });

  it('refuse what is malformed, naming the field', () => {
    const refused = (command: 'subscribeQuotes' | 'unsubscribeQuotes', params: unknown) => {
      const parsed = parseCommand(command, params);
      return parsed.ok ? undefined : parsed.result.ok ? undefined : parsed.result.error.fields;
    };
    expect(refused('subscribeQuotes', { holder: 'w', instrumentIds: [] })).toEqual({ instrumentIds: 'name at least one instrument' });
    expect(refused('subscribeQuotes', { holder: '', instrumentIds: ['A'] })).toHaveProperty('holder');
    expect(refused('subscribeQuotes', { holder: 'w', instrumentIds: ['A\u0000'] })).toHaveProperty(['instrumentIds.0']);
    expect(refused('subscribeQuotes', { holder: 'w', instrumentIds: Array.from({ length: MAX_QUOTE_INSTRUMENTS + 1 }, (_, i) => `I${i}`) })).toHaveProperty('instrumentIds');
    expect(refused('unsubscribeQuotes', { holder: 'w', extra: 1 })).toHaveProperty('_');
  });
});
