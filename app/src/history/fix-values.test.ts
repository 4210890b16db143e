import { describe, expect, it } from 'vitest';
import { fixValueMeaning } from './fix-values';

describe('fixValueMeaning', () => {
  it('names coded values of the fields an execution report carries', () => {
    expect(fixValueMeaning(39, '2')).toBe('Filled');
    expect(fixValueMeaning(150, 'F')).toBe('Trade');
    expect(fixValueMeaning(35, '8')).toBe('ExecutionReport');
    expect(fixValueMeaning(103, '1')).toBe('Unknown symbol');
  });
  it('leaves free text and unknown codes alone', () => {
    expect(fixValueMeaning(58, 'unknown symbol ZZZZ')).toBeUndefined();
    expect(fixValueMeaning(39, 'Z')).toBeUndefined();
  });
});
