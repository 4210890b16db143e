import { describe, expect, it } from 'vitest';
import { createRefreshQueue } from './refresh-queue';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('createRefreshQueue', () => {
  it('runs one load at a time and serves every request made meanwhile with one more load', async () => {
    const loads: Array<ReturnType<typeof deferred>> = [];
    const queue = createRefreshQueue(() => {
      const d = deferred();
      loads.push(d);
      return d.promise;
    });
    queue.request();
    queue.request();
    queue.request();
    expect(loads).toHaveLength(1);
    loads[0]!.resolve();
    await settle();
    expect(loads).toHaveLength(2);
    loads[1]!.resolve();
    await settle();
    expect(loads).toHaveLength(2);
    queue.request();
    expect(loads).toHaveLength(3);
  });

  it('keeps going after a failed load, and starts nothing once disposed', async () => {
    let count = 0;
    const queue = createRefreshQueue(() => {
      count++;
      return Promise.reject(new Error('gone'));
    });
    queue.request();
    await settle();
    queue.request();
    await settle();
    expect(count).toBe(2);
    queue.dispose();
    queue.request();
    await settle();
    expect(count).toBe(2);
  });
});
