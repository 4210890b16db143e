import { describe, expect, it } from 'vitest';
import { displayFixText, fixTimestampToIso, isoDateToFix, parseFixText } from './fix-text';

describe('displayFixText', () => {
  it('shows SOH as | and masks Password (554) and NewPassword (925)', () => {
    const text = ['8=FIX.4.4', '35=A', '553=desk', '554=s3cr=t', '925=next', '1554=ok', '10=123', ''].join('\x01');
    expect(displayFixText(text)).toBe('8=FIX.4.4|35=A|553=desk|554=***|925=***|1554=ok|10=123|');
  });
});

describe('parseFixText', () => {
  it('reads the first occurrence of each tag, from | or SOH text', () => {
    const r = parseFixText('35=8|11=A|448=P1|448=P2\x0110=000');
    expect(r.get(11)).toBe('A');
    expect(r.get(448)).toBe('P1');
    expect(r.get(10)).toBe('000');
    expect(r.get(99)).toBeUndefined();
  });
  it('refuses text that is not tag=value', () => {
    expect(() => parseFixText('35=8|oops')).toThrow(/oops/);
  });
});

describe('fixTimestampToIso', () => {
  it('keeps the precision the broker sent', () => {
    expect(fixTimestampToIso('20261127-10:11:12')).toBe('2026-11-27T10:11:12Z');
    expect(fixTimestampToIso('20261127-10:11:12.345')).toBe('2026-11-27T10:11:12.345Z');
    expect(fixTimestampToIso('20261127-10:11:12.123456789')).toBe('2026-11-27T10:11:12.123456789Z');
  });
  it('refuses what is not a UTC timestamp', () => {
    expect(fixTimestampToIso('2026-11-27T10:11:12Z')).toBeUndefined();
    expect(fixTimestampToIso('20261327-10:11:12')).toBeUndefined();
    expect(fixTimestampToIso('20261127-25:11:12')).toBeUndefined();
  });
});

describe('isoDateToFix', () => {
  it('turns YYYY-MM-DD into LocalMktDate YYYYMMDD, refusing impossible dates', () => {
    expect(isoDateToFix('2026-12-31')).toBe('20261231');
    expect(isoDateToFix('2026-02-30')).toBeUndefined();
    expect(isoDateToFix('20261231')).toBeUndefined();
  });
});
