import { describe, expect, it } from 'vitest';
import type { PinnedRoot } from './pinned-sections';
import { PINNED_LEFT_VAR, PINNED_RIGHT_VAR, followPinnedSections, pinnedShifts } from './pinned-sections';

/** A grid's events by hand: the test fires them. */
function fakeGrid() {
  const listeners = new Map<string, Set<(e: never) => void>>();
  return {
    addEventListener: (type: string, l: (e: never) => void) => void (listeners.get(type) ?? listeners.set(type, new Set()).get(type)!).add(l),
    removeEventListener: (type: string, l: (e: never) => void) => void listeners.get(type)?.delete(l),
    fire: (type: string, e: object = {}) => listeners.get(type)?.forEach((l) => l(e as never)),
    count: () => [...listeners.values()].reduce((n, s) => n + s.size, 0),
  };
}

function fakeRoot(viewport: { scrollLeft: number; scrollWidth: number; clientWidth: number }) {
  const vars = new Map<string, string>();
  let writes = 0;
  const root: PinnedRoot = {
    querySelector: (selector) => (selector === '.ag-grid-viewport' ? viewport : null),
    style: { setProperty: (name, value) => void (vars.set(name, value), writes++) },
  };
  return { root, vars, writes: () => writes };
}

describe('pinned sections shifted by the horizontal scroll', () => {
  it('the left section moves with the scroll, the right one sits back from the far end by what is left to scroll', () => {
    expect(pinnedShifts(0, 2350, 1440)).toEqual({ left: 0, right: -910 });
    expect(pinnedShifts(300, 2350, 1440)).toEqual({ left: 300, right: -610 });
    expect(pinnedShifts(910, 2350, 1440)).toEqual({ left: 910, right: 0 });
  });

  it('a grid narrower than its viewport shifts nothing; a scroll past the end is clamped', () => {
    expect(pinnedShifts(0, 800, 1440)).toEqual({ left: 0, right: 0 });
    expect(pinnedShifts(5000, 2350, 1440)).toEqual({ left: 910, right: 0 });
  });

  it('sets the shifts at once, on a horizontal scroll and on a resize, not on a vertical scroll; stops when told', () => {
    const grid = fakeGrid();
    const viewport = { scrollLeft: 0, scrollWidth: 2350, clientWidth: 1440 };
    const { root, vars, writes } = fakeRoot(viewport);
    const stop = followPinnedSections(grid, root);
    expect(vars.get(PINNED_LEFT_VAR)).toBe('0px');
    expect(vars.get(PINNED_RIGHT_VAR)).toBe('-910px');

    grid.fire('bodyScroll', { direction: 'horizontal', left: 200, top: 0 });
    expect([vars.get(PINNED_LEFT_VAR), vars.get(PINNED_RIGHT_VAR)]).toEqual(['200px', '-710px']);

    const before = writes();
    grid.fire('bodyScroll', { direction: 'vertical', left: 200, top: 900 });
    expect(writes()).toBe(before);

    // The window grew: less to scroll, the right section closer to its natural place.
    Object.assign(viewport, { scrollLeft: 200, clientWidth: 1800 });
    grid.fire('gridSizeChanged');
    expect([vars.get(PINNED_LEFT_VAR), vars.get(PINNED_RIGHT_VAR)]).toEqual(['200px', '-350px']);

    stop();
    expect(grid.count()).toBe(0);
  });
});
