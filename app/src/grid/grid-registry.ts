import type { GridApi } from 'ag-grid-community';

/** The blotters' grids of this window by layout id (`orders`, `executions`, `orders-<window>`), for the column chooser. */
const grids = new Map<string, GridApi>();

export function registerBlotterGrid(id: string, api: GridApi): () => void {
  grids.set(id, api);
  return () => {
    if (grids.get(id) === api) grids.delete(id);
  };
}

export function blotterGrid(id: string): GridApi | undefined {
  const api = grids.get(id);
  return api !== undefined && !api.isDestroyed() ? api : undefined;
}
