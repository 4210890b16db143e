import type { BodyScrollEvent, GridApi } from 'ag-grid-community';

/**
 * Pinned columns without a composited layer per row.
 *
 * ag-grid 36 keeps each row's pinned sections in place with `position: sticky`, and Chromium gives
 * every sticky box in a scrolling grid a composited layer of its own: with the blotters on screen,
 * 54 of the page's 105 layers, each handled by every frame's commit and by the compositor. So the
 * rows' pinned sections are positioned (relative) and shifted by the grid's horizontal scroll instead,
 * a 2D translate that Chromium paints into the grid's own layer (styles.css, "pinned sections"); this
 * keeps the two shifts current as CSS variables on the grid's root. The header row keeps ag-grid's
 * sticky sections (one row per grid). Measured (bench/README, issue 13): 27 layers, the compositor
 * thread's CPU ~40 % lower, the commit's ~40 % lower. The price: on a horizontal scroll the pinned
 * cells follow one frame after the composited scroll.
 */
export const PINNED_LEFT_VAR = '--desk-pinned-left-x';
export const PINNED_RIGHT_VAR = '--desk-pinned-right-x';

/** Where the pinned sections go: the left one with the scroll, the right one back from the far end. */
export function pinnedShifts(scrollLeft: number, scrollWidth: number, clientWidth: number): { readonly left: number; readonly right: number } {
  const max = Math.max(0, scrollWidth - clientWidth);
  const left = Math.min(Math.max(0, scrollLeft), max);
  return { left, right: left - max };
}

/** The part of the grid's root element this uses (a fake in tests). */
export interface PinnedRoot {
  querySelector(selector: string): { readonly scrollLeft: number; readonly scrollWidth: number; readonly clientWidth: number } | null;
  readonly style: { setProperty(name: string, value: string): void };
}

type GridEvents = Pick<GridApi, 'addEventListener' | 'removeEventListener'>;

/** Keeps the shifts of the grid whose root is `root` current; returns the way to stop. */
export function followPinnedSections(api: GridEvents, root: PinnedRoot): () => void {
  let scrollLeft = 0;
  let scrollWidth = 0;
  let clientWidth = 0;
  let shown: string | undefined;
  const show = (): void => {
    const { left, right } = pinnedShifts(scrollLeft, scrollWidth, clientWidth);
    const text = `${left}|${right}`;
    if (text === shown) return;
    shown = text;
    root.style.setProperty(PINNED_LEFT_VAR, `${left}px`);
    root.style.setProperty(PINNED_RIGHT_VAR, `${right}px`);
  };
  // The far end moves with the grid's width and its columns' (measured then, not on every scroll).
  const measure = (): void => {
    const viewport = root.querySelector('.ag-grid-viewport');
    if (viewport === null) return;
    ({ scrollLeft, scrollWidth, clientWidth } = viewport);
    show();
  };
  const onScroll = (e: BodyScrollEvent): void => {
    if (e.direction !== 'horizontal' || e.left === scrollLeft) return;
    scrollLeft = e.left;
    show();
  };
  const resized = ['gridSizeChanged', 'displayedColumnsChanged', 'columnResized', 'firstDataRendered'] as const;
  api.addEventListener('bodyScroll', onScroll);
  for (const type of resized) api.addEventListener(type, measure);
  measure();
  return () => {
    api.removeEventListener('bodyScroll', onScroll);
    for (const type of resized) api.removeEventListener(type, measure);
  };
}
