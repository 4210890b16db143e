import { describe, expect, it } from 'vitest';
import { compareDecimalStrings, groupDecimal, isZeroDecimal } from './decimal';
import { formatTime, orderStatusLabel, orderStatusText, orderStatusTone, orderStrategyLabel, pendingLabel, sentenceCase, sideLabel } from './labels';

describe('groupDecimal', () => {
  it('groups integer digits and keeps the fraction exactly as sent', () => {
    expect(groupDecimal('1234567.50')).toBe('1,234,567.50');
    expect(groupDecimal('999')).toBe('999');
    expect(groupDecimal('1000')).toBe('1,000');
    expect(groupDecimal('-1234.000000000001')).toBe('-1,234.000000000001');
    expect(groupDecimal('0.1')).toBe('0.1');
  });
  it('passes through empty and non-decimal values', () => {
    expect(groupDecimal(undefined)).toBe('');
    expect(groupDecimal('')).toBe('');
    expect(groupDecimal('abc')).toBe('abc');
  });
});

describe('isZeroDecimal', () => {
  it('recognises zeros of any scale', () => {
    expect(isZeroDecimal('0')).toBe(true);
    expect(isZeroDecimal('0.000')).toBe(true);
    expect(isZeroDecimal('-0')).toBe(true);
    expect(isZeroDecimal('0.001')).toBe(false);
    expect(isZeroDecimal(undefined)).toBe(false);
  });
});

describe('compareDecimalStrings', () => {
  it('orders numerically, not lexically', () => {
    const values = ['10', '9.5', '100', '-2', '0.05', '9.50001', '-10', '0'];
    expect([...values].sort(compareDecimalStrings)).toEqual(['-10', '-2', '0', '0.05', '9.5', '9.50001', '10', '100']);
  });
  it('treats trailing zeros as equal', () => {
    expect(compareDecimalStrings('1.50', '1.5')).toBe(0);
    expect(compareDecimalStrings('-0', '0')).toBe(0);
  });
  it('puts missing values last', () => {
    expect(compareDecimalStrings(undefined, '1')).toBe(1);
    expect(compareDecimalStrings('1', undefined)).toBe(-1);
  });
  it('keeps precision floats would lose', () => {
    expect(compareDecimalStrings('0.300000000001', '0.3')).toBe(1);
    expect(compareDecimalStrings('123456789012345678', '123456789012345677')).toBe(1);
  });
});

describe('status labels', () => {
  it('reads like words', () => {
    expect(orderStatusLabel('partiallyFilled')).toBe('Partially filled');
    expect(orderStatusLabel('doneForDay')).toBe('Done for day');
    expect(sideLabel('sellShort')).toBe('Short sell');
  });
  it('gives a tone per status', () => {
    expect(orderStatusTone('filled')).toBe('filled');
    expect(orderStatusTone('rejected')).toBe('rejected');
    expect(orderStatusTone('pendingReplace')).toBe('pending');
    expect(orderStatusTone('canceled')).toBe('done');
  });
});

describe('pending requests', () => {
  const order = { quantity: '100', limitPrice: '101', status: 'new' as const };
  it('shows the amend values, falling back to the current ones', () => {
    expect(pendingLabel({ kind: 'replace', clOrdId: 'C2', quantity: '200', limitPrice: '101.5' }, order)).toBe(
      'Pending replace → 200 @ 101.5',
    );
    expect(pendingLabel({ kind: 'replace', clOrdId: 'C2', quantity: '1500' }, order)).toBe('Pending replace → 1,500 @ 101');
    expect(pendingLabel({ kind: 'replace', clOrdId: 'C2', stopPrice: '99' }, { quantity: '100' })).toBe(
      'Pending replace → 100 stop 99',
    );
    expect(pendingLabel({ kind: 'cancel', clOrdId: 'C2' }, order)).toBe('Pending cancel');
  });
  it('combines the status and the pending request', () => {
    expect(orderStatusText({ ...order, pending: { kind: 'cancel', clOrdId: 'C2' } })).toBe('New · Pending cancel');
    expect(
      orderStatusText({ ...order, status: 'pendingReplace', pending: { kind: 'replace', clOrdId: 'C2', quantity: '200' } }),
    ).toBe('Pending replace → 200 @ 101');
    expect(orderStatusText({ ...order, status: 'partiallyFilled' })).toBe('Partially filled');
  });
  it('says when the order is being reconciled', () => {
    const uncertain = { reason: 'the session dropped', since: '2026-11-27T10:00:00Z' };
    expect(orderStatusText({ ...order, uncertain })).toBe('New ? (reconciling)');
    expect(orderStatusText({ ...order, status: 'pendingCancel', pending: { kind: 'cancel', clOrdId: 'C2' }, uncertain })).toBe('Pending cancel ? (reconciling)');
  });
});

describe('formatTime and sentenceCase', () => {
  it('formats a timestamp as a local wall-clock time', () => {
    expect(formatTime('2026-11-27T10:15:30.123Z')).toMatch(/^\d{2}:\d{2}:\d{2}$/);
    expect(formatTime('not a time')).toBe('not a time');
    expect(formatTime(undefined)).toBe('');
  });
  it('capitalises the first letter', () => {
    expect(sentenceCase('quantity is required')).toBe('Quantity is required');
    expect(sentenceCase('')).toBe('');
  });
});

describe('the strategy an order is worked by', () => {
  it("names the broker's algo, or the parent's strategy for a child, and nothing for a plain order", () => {
    expect(orderStrategyLabel({ brokerAlgo: 'SIM-VWAP' }, undefined)).toBe('SIM-VWAP (broker)');
    expect(orderStrategyLabel({ parentId: 'algo-1' }, 'twap')).toBe('TWAP');
    expect(orderStrategyLabel({ parentId: 'algo-1' }, 'pov')).toBe('POV');
    expect(orderStrategyLabel({ parentId: 'algo-1' }, undefined)).toBe('Algo');
    expect(orderStrategyLabel({}, undefined)).toBe('');
  });
});
