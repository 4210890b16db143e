import { describe, expect, it } from 'vitest';
import { startingAt } from './clock';
import { TestClock } from './test-clock';

describe('startingAt', () => {
  it('reads the base clock moved to the start instant, runs at its speed, and keeps its timers', () => {
    const base = new TestClock('2026-11-27T09:30:00.000Z');
    const moved = startingAt(new Date('2026-03-02T08:00:00.000Z'), base);
    expect(moved.now().toISOString()).toBe('2026-03-02T08:00:00.000Z');
    let fired = false;
    moved.setTimeout(() => (fired = true), 1_000);
    base.advance(999);
    expect(fired).toBe(false);
    base.advance(1);
    expect(fired).toBe(true);
    expect(moved.now().toISOString()).toBe('2026-03-02T08:00:01.000Z');
  });
});
