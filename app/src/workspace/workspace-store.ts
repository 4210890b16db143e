import type { AttentionSettings, BlotterLayout, Layout, LayoutFile, PoppedWindow, Workspace } from '../../../shared/contract/workspace';
import { describeIssues, LAYOUT_FILE_FORMAT, layoutFileSchema, layoutNameSchema, workspaceSchema } from '../../../shared/contract/workspace';
import { callDesk, pushLocalAlert } from '../store/actions';
import { deskStore, useDesk } from '../store/desk-store';
import type { WindowRole } from '../shell/window-role';
import type { WorkspaceState } from './workspace-slice';
import { defaultLayout, defaultWorkspace } from './workspace-slice';

/**
 * The workspace's actions: loaded from the desk once connected, changed by the screens (columns moved,
 * a filter set, a panel resized…), saved back a moment later. Each window saves what it owns (a
 * popped-out window: its own blotter) onto the stored copy when another window saved meanwhile.
 */
export function useWorkspace<T>(selector: (state: WorkspaceState) => T): T {
  return useDesk((s) => selector(s.workspace));
}

const SAVE_DELAY_MS = 800;

const stateOf = (): WorkspaceState => deskStore.getState().workspace;

function setWorkspace(patch: Partial<WorkspaceState>): void {
  deskStore.setState((s) => ({ workspace: { ...s.workspace, ...patch } }));
}

/** A new document for this window; `apply`: the screens must take its current layout again. */
function setDoc(doc: Workspace, apply: boolean): void {
  const state = stateOf();
  setWorkspace({ doc, ...(apply && { applySeq: state.applySeq + 1 }) });
  scheduleSave();
}

export async function loadWorkspace(): Promise<void> {
  const result = await callDesk('getWorkspace', {});
  const state = stateOf();
  if (!result.ok) {
    setWorkspace({ loaded: true, error: `Layouts could not be loaded: ${result.error.message}`, applySeq: state.applySeq + 1 });
    return;
  }
  const stored = result.value.workspace;
  setWorkspace({ loaded: true, revision: result.value.revision, doc: stored ?? defaultWorkspace(), error: null, applySeq: state.applySeq + 1 });
}

let saveTimer: ReturnType<typeof setTimeout> | undefined;
let saving: Promise<void> | undefined;

function scheduleSave(): void {
  if (!stateOf().loaded) return; // nothing is saved over a workspace not read yet
  if (saveTimer !== undefined) clearTimeout(saveTimer);
  saveTimer = setTimeout(() => {
    saveTimer = undefined;
    void saveWorkspaceNow();
  }, SAVE_DELAY_MS);
}

/** Saves now (one save at a time; a change made meanwhile is saved after). */
export async function saveWorkspaceNow(): Promise<void> {
  if (saving !== undefined) {
    await saving;
    scheduleSave();
    return;
  }
  saving = save();
  try {
    await saving;
  } finally {
    saving = undefined;
  }
}

async function save(retry = true): Promise<void> {
  const { doc, revision } = stateOf();
  setWorkspace({ saving: true });
  const result = await callDesk('saveWorkspace', { workspace: doc, baseRevision: revision });
  if (result.ok) {
    setWorkspace({ saving: false, revision: result.value.revision, error: null });
    return;
  }
  if (result.error.code === 'CONFLICT' && retry) {
    // Another window saved: take the stored copy, lay what this window owns over it, save again.
    const stored = await callDesk('getWorkspace', {});
    if (stored.ok) {
      const merged = mergeOwned(stored.value.workspace ?? defaultWorkspace(), stateOf().doc, deskStore.getState().windowRole);
      setWorkspace({ doc: merged, revision: stored.value.revision });
      await save(false);
      return;
    }
  }
  setWorkspace({ saving: false, error: `Layout not saved: ${result.error.message}` });
}

/**
 * What a window owns in the workspace: the main window everything but the popped-out windows'
 * blotters; a popped-out window its own blotter (`<panel>-<id>`).
 */
export function mergeOwned(stored: Workspace, mine: Workspace, role: WindowRole): Workspace {
  const ownsBlotter = (id: string) => (role.kind === 'main' ? !id.includes('-') : id.endsWith(`-${role.id}`));
  const blotters: Record<string, BlotterLayout> = {};
  for (const [id, layout] of Object.entries(stored.current.blotters)) if (!ownsBlotter(id)) blotters[id] = layout;
  for (const [id, layout] of Object.entries(mine.current.blotters)) if (ownsBlotter(id)) blotters[id] = layout;
  const base = role.kind === 'main' ? mine : stored;
  return { ...base, current: { ...base.current, blotters } };
}

// ---- what the screens change ----

/** A blotter's columns, sort or filters changed (from its grid's events). */
export function updateBlotterLayout(id: string, layout: BlotterLayout): void {
  const { doc } = stateOf();
  const before = doc.current.blotters[id];
  if (before !== undefined && JSON.stringify(before) === JSON.stringify(layout)) return;
  setDoc({ ...doc, current: { ...doc.current, blotters: { ...doc.current.blotters, [id]: layout } } }, false);
}

export function setPanels(panels: Layout['panels']): void {
  const { doc } = stateOf();
  const now = doc.current.panels;
  if (now.ticketWidth === panels.ticketWidth && now.ordersShare === panels.ordersShare && now.watchHeight === panels.watchHeight) return;
  setDoc({ ...doc, current: { ...doc.current, panels } }, false);
}

/** The market watch's instruments, in their order (kept with the layout). */
export function setMarketWatch(instruments: readonly string[]): void {
  const { doc } = stateOf();
  const before = doc.current.marketWatch?.instruments ?? [];
  if (before.length === instruments.length && before.every((id, i) => id === instruments[i])) return;
  setDoc({ ...doc, current: { ...doc.current, marketWatch: { instruments: [...instruments] } } }, false);
}

export function setAttention(attention: AttentionSettings): void {
  const { doc } = stateOf();
  setDoc({ ...doc, attention }, false);
}

export function recordWindow(window: PoppedWindow, open: boolean): void {
  const { doc } = stateOf();
  const others = doc.windows.filter((w) => w.id !== window.id);
  const windows = open ? [...others, window].slice(-16) : others;
  if (windows.length === doc.windows.length && open === doc.windows.some((w) => w.id === window.id)) return;
  setDoc({ ...doc, windows }, false);
}

// ---- named layouts ----

function layoutNamed(doc: Workspace, name: string) {
  return doc.layouts.find((l) => l.name.toLowerCase() === name.toLowerCase());
}

/** Saves the current arrangement under `name` (replacing a layout of that name); returns an error in words, or null. */
export function saveLayoutAs(name: string): string | null {
  const parsed = layoutNameSchema.safeParse(name);
  if (!parsed.success) return describeIssues(parsed.error);
  const { doc } = stateOf();
  if (layoutNamed(doc, parsed.data) === undefined && doc.layouts.length >= 50) return 'At most 50 layouts: delete one first';
  const layouts = [...doc.layouts.filter((l) => l.name.toLowerCase() !== parsed.data.toLowerCase()), { name: parsed.data, layout: doc.current }];
  setDoc({ ...doc, layouts, activeName: parsed.data }, false);
  return null;
}

export function applyLayout(name: string): void {
  const { doc } = stateOf();
  const named = layoutNamed(doc, name);
  if (named === undefined) return;
  setDoc({ ...doc, current: withOwnPopouts(named.layout, doc.current), activeName: named.name }, true);
}

export function deleteLayout(name: string): void {
  const { doc } = stateOf();
  const layouts = doc.layouts.filter((l) => l.name.toLowerCase() !== name.toLowerCase());
  const { activeName, ...rest } = doc;
  setDoc({ ...rest, layouts, ...(activeName !== undefined && activeName.toLowerCase() !== name.toLowerCase() && { activeName }) }, false);
}

/** Back to the columns, filters and panel sizes the desk ships with. */
export function resetLayout(): void {
  const { doc } = stateOf();
  const { activeName: _active, ...rest } = doc;
  setDoc({ ...rest, current: defaultLayout() }, true);
}

/** Popped-out windows keep their own blotters when a layout is applied over the main window's. */
function withOwnPopouts(layout: Layout, current: Layout): Layout {
  const blotters = { ...layout.blotters };
  for (const [id, blotter] of Object.entries(current.blotters)) if (id.includes('-') && blotters[id] === undefined) blotters[id] = blotter;
  return { ...layout, blotters };
}

/** The current arrangement (or a named layout) as a layout file's text. */
export function exportLayout(name?: string): { fileName: string; text: string } {
  const { doc } = stateOf();
  const named = name !== undefined ? layoutNamed(doc, name) : undefined;
  const file: LayoutFile = { format: LAYOUT_FILE_FORMAT, version: 1, name: named?.name ?? doc.activeName ?? 'My layout', layout: named?.layout ?? doc.current };
  const safeName = file.name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'layout';
  return { fileName: `meridian-layout-${safeName}.json`, text: JSON.stringify(file, null, 2) };
}

/**
 * A layout file's text, validated: on success the layout is added (replacing one of its name) and
 * applied; on failure nothing changes and the reason is returned in words.
 */
export function importLayout(text: string): { ok: true; name: string } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'The file is not a layout: it is not JSON.' };
  }
  const parsed = layoutFileSchema.safeParse(json);
  if (!parsed.success) return { ok: false, error: `The file is not a valid layout (${describeIssues(parsed.error)}). Your current layout is unchanged.` };
  const { doc } = stateOf();
  const file = parsed.data;
  const layouts = [...doc.layouts.filter((l) => l.name.toLowerCase() !== file.name.toLowerCase()), { name: file.name, layout: file.layout }];
  const next: Workspace = { ...doc, layouts, current: withOwnPopouts(file.layout, doc.current), activeName: file.name };
  // The whole document must still be one the desk accepts (e.g. at most 50 layouts).
  const whole = workspaceSchema.safeParse(next);
  if (!whole.success) return { ok: false, error: `The layout cannot be added (${describeIssues(whole.error)}). Your current layout is unchanged.` };
  setDoc(whole.data, true);
  pushLocalAlert('info', `Layout "${file.name}" imported and applied`);
  return { ok: true, name: file.name };
}
