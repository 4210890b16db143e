import { describe, expect, it } from 'vitest';
import { HeldLogLines } from './held-log-lines';

describe('HeldLogLines', () => {
  it('holds lines until released, then writes them in order and the next ones straight away', () => {
    const out: string[] = [];
    const lines = new HeldLogLines((line) => out.push(line));
    lines.write('a');
    lines.write('b');
    expect(out).toEqual([]);
    lines.release();
    lines.write('c');
    expect(out).toEqual(['a', 'b', 'c']);
  });

  it('dropped: nothing held and nothing after is written, released or not', () => {
    const out: string[] = [];
    const lines = new HeldLogLines((line) => out.push(line));
    lines.write('a');
    lines.drop();
    lines.write('b');
    lines.release();
    lines.write('c');
    expect(out).toEqual([]);
  });
});
