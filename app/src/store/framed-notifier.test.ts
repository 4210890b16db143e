import { describe, expect, it } from 'vitest';
import { FramedNotifier } from './framed-notifier';

function setup() {
  const frames: Array<() => void> = [];
  const notifier = new FramedNotifier((callback) => frames.push(callback));
  const listeners = new Set<() => void>();
  const store = {
    subscribe: (l: () => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    change: () => listeners.forEach((l) => l()),
  };
  const frame = () => frames.splice(0).forEach((f) => f());
  return { notifier, store, frame, frames };
}

describe('FramedNotifier', () => {
  it("tells a listener of a person's change at once", () => {
    const { notifier, store } = setup();
    let heard = 0;
    notifier.wrap(store.subscribe)(() => heard++);
    store.change();
    expect(heard).toBe(1);
  });

  it("tells of the stream's changes on the next frame, once for all of them, asking for one frame", () => {
    const { notifier, store, frame, frames } = setup();
    let a = 0;
    let b = 0;
    const subscribe = notifier.wrap(store.subscribe);
    subscribe(() => a++);
    subscribe(() => b++);
    notifier.fromStream(() => store.change());
    notifier.fromStream(() => store.change());
    expect([a, b, frames.length]).toEqual([0, 0, 1]);
    frame();
    expect([a, b]).toEqual([1, 1]);
    frame();
    expect([a, b]).toEqual([1, 1]);
  });

  it('does not call a listener that unsubscribed before the frame', () => {
    const { notifier, store, frame } = setup();
    let heard = 0;
    const stop = notifier.wrap(store.subscribe)(() => heard++);
    notifier.fromStream(() => store.change());
    stop();
    frame();
    expect(heard).toBe(0);
  });

  it('ends the stream scope when the update throws', () => {
    const { notifier, store } = setup();
    let heard = 0;
    notifier.wrap(store.subscribe)(() => heard++);
    expect(() =>
      notifier.fromStream(() => {
        throw new Error('bad');
      }),
    ).toThrow('bad');
    store.change();
    expect(heard).toBe(1);
  });
});
