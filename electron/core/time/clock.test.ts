import { describe, expect, it } from 'vitest';
import { startingAt, systemClock } from './clock';
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

describe('systemClock', () => {
  it('runs zero-delay timers as soon as the thread is free, in the order set, and cancels them', async () => {
    const ran: string[] = [];
    systemClock.setTimeout(() => ran.push('a'), 0);
    const cancelled = systemClock.setTimeout(() => ran.push('cancelled'), 0);
    systemClock.setTimeout(() => ran.push('b'), 0, { background: true });
    systemClock.clearTimeout(cancelled);
    expect(ran).toEqual([]); // never inside the caller
    await new Promise<void>((resolve) => setImmediate(resolve)); // queued after them: they ran before it
    expect(ran).toEqual(['a', 'b']);
  });
});
