import type { GridApi, GridOptions } from 'ag-grid-community';
import { createGrid } from 'ag-grid-community';
import type { RefObject } from 'react';
import { useEffect, useState } from 'react';
import { followPinnedSections } from './pinned-sections';

/**
 * A plain (vanilla) ag-grid in the element `host` points at, for the lifetime of the component.
 *
 * The blotters do not use ag-grid-react: it renders every row and cell as React components, so each
 * row that moves or changes goes through React's render and commit. At blotter rates (the executions
 * blotter shifts every visible row on each batch of fills) that was most of the renderer's time.
 * The vanilla grid writes the DOM itself; React owns only what is around the grid.
 *
 * `options` is read once, at creation: pass a module-level constant (with stable callbacks) and change
 * options later through the returned api (`setGridOption`).
 */
export function useAgGrid<T>(host: RefObject<HTMLElement | null>, options: GridOptions<T>): GridApi<T> | null {
  const [api, setApi] = useState<GridApi<T> | null>(null);
  useEffect(() => {
    const element = host.current;
    if (element === null) return;
    const created = createGrid<T>(element, options);
    const stopPinning = followPinnedSections(created, element);
    setApi(created);
    return () => {
      setApi(null);
      stopPinning();
      created.destroy();
    };
    // Created once per mount: `options` is a constant by contract (see above).
  }, [host]);
  return api;
}
