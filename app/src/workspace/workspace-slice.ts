import type { AttentionSettings, Layout, Workspace } from '../../../shared/contract/workspace';

/** The person's workspace as this window knows it (workspace-store.ts saves and loads it through the desk). */
export interface WorkspaceState {
  /** The stored workspace has been read (or could not be: then the defaults are in use). */
  readonly loaded: boolean;
  /** The stored revision this document is based on (0: nothing stored yet). */
  readonly revision: number;
  readonly doc: Workspace;
  /** Bumped when the grids and panels must take `doc.current` again (load, switch, reset, import). */
  readonly applySeq: number;
  readonly saving: boolean;
  /** The last load or save that failed, in words; null when the last one worked. */
  readonly error: string | null;
}

export const DEFAULT_PANELS: Layout['panels'] = { ticketWidth: 260, ordersShare: 0.62 };

/** An empty blotter entry means "the columns as the desk ships them" (their definitions). */
export function defaultLayout(): Layout {
  return { blotters: {}, panels: DEFAULT_PANELS };
}

export const DEFAULT_ATTENTION: AttentionSettings = {
  sounds: { fill: false, reject: false, cancel: false, alert: false },
  notifications: { fill: false, reject: false, cancel: false, alert: false },
  // Off by default like the rest: at thousands of fills a second the animations cost style work every frame.
  flash: false,
};

export function defaultWorkspace(): Workspace {
  return { version: 1, current: defaultLayout(), layouts: [], attention: DEFAULT_ATTENTION, windows: [] };
}

export const initialWorkspaceState: WorkspaceState = { loaded: false, revision: 0, doc: defaultWorkspace(), applySeq: 0, saving: false, error: null };
