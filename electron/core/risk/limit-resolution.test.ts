import { describe, expect, it } from 'vitest';
import { riskLimitsSchema } from '../config/risk-limits-config';
import { accountLimits, resolveLimits } from './limit-resolution';

describe('limit resolution', () => {
  it('answers per limits, account, asset class and instrument, asked once or many times', () => {
    const limits = riskLimitsSchema.parse({
      defaults: { maxQuantity: { warn: '100', block: '200' } },
      accounts: { 'FUND-ALPHA': { maxQuantity: { warn: '10' } } },
      instruments: { 'AAPL.XNAS': { maxQuantity: { warn: '1' } } },
    });
    for (let round = 0; round < 2; round++) {
      expect(resolveLimits(limits, 'FUND-ALPHA', 'equity', 'AAPL.XNAS').maxQuantity).toEqual({ warn: '1' });
      expect(resolveLimits(limits, 'FUND-ALPHA', 'equity', 'MSFT.XNAS').maxQuantity).toEqual({ warn: '10' });
      expect(resolveLimits(limits, 'FUND-BETA', 'equity', 'MSFT.XNAS').maxQuantity).toEqual({ warn: '100', block: '200' });
      expect(accountLimits(limits, 'FUND-ALPHA').maxQuantity).toEqual({ warn: '10' });
      expect(accountLimits(limits, 'FUND-BETA').maxQuantity).toEqual({ warn: '100', block: '200' });
    }
    const reloaded = riskLimitsSchema.parse({ defaults: { maxQuantity: { warn: '5' } } });
    expect(resolveLimits(reloaded, 'FUND-ALPHA', 'equity', 'AAPL.XNAS').maxQuantity).toEqual({ warn: '5' });
    expect(accountLimits(reloaded, 'FUND-ALPHA').maxQuantity).toEqual({ warn: '5' });
  });
});
