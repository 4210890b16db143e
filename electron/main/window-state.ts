import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { POPOUT_PANELS } from '../../shared/contract/workspace';
import type { PopoutPanel } from '../../shared/contract/workspace';

/**
 * Where the desk's windows were: the main window's size, place and maximised state, and the panels
 * popped out into windows of their own with theirs. Kept in the user-data folder as a small JSON
 * file, read at start (a damaged or foreign file is ignored), written a moment after a window moves
 * and when the app quits. Type imports only from 'electron': this runs in plain Node tests.
 */
export interface Bounds {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

const int = z.number().int().min(-100_000).max(100_000);
const boundsSchema = z.object({ x: int, y: int, width: z.number().int().min(200).max(20_000), height: z.number().int().min(150).max(20_000) }).strict();
const popoutSchema = z.object({ id: z.string().regex(/^[a-z0-9]{1,12}$/), panel: z.enum(POPOUT_PANELS), bounds: boundsSchema }).strict();
const stateSchema = z
  .object({
    main: z.object({ bounds: boundsSchema, maximized: z.boolean() }).strict().optional(),
    popouts: z.array(popoutSchema).max(16),
  })
  .strict();
export type WindowStateFile = z.infer<typeof stateSchema>;
export type PopoutWindow = z.infer<typeof popoutSchema>;

/** A window as the state follows it (BrowserWindow's few methods used; a fake in tests). */
export interface TrackedWindow {
  getNormalBounds(): Bounds;
  isMaximized(): boolean;
  on(event: 'resize' | 'move' | 'maximize' | 'unmaximize' | 'close' | 'closed', listener: () => void): unknown;
}

const SAVE_DELAY_MS = 500;

export class WindowState {
  private state: WindowStateFile;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Set once the app quits: windows closing then stay remembered, to be opened again next time. */
  private quitting = false;

  constructor(
    private readonly path: string,
    private readonly warn: (message: string, fields: Record<string, unknown>) => void = () => {},
  ) {
    this.state = this.read();
  }

  /** The main window's last place, if it is still on one of `screens` (work areas); else none (centred default). */
  mainWindow(screens: readonly Bounds[]): { bounds: Bounds; maximized: boolean } | undefined {
    const main = this.state.main;
    return main !== undefined && onScreen(main.bounds, screens) ? main : undefined;
  }

  /** The windows popped out when the app last quit, each where it was (moved onto a screen if its screen is gone). */
  popouts(screens: readonly Bounds[]): PopoutWindow[] {
    return this.state.popouts.map((p) => (onScreen(p.bounds, screens) || screens[0] === undefined ? p : { ...p, bounds: { ...p.bounds, x: screens[0].x + 40, y: screens[0].y + 40 } }));
  }

  trackMain(window: TrackedWindow): void {
    const update = () => {
      this.state = { ...this.state, main: { bounds: rounded(window.getNormalBounds()), maximized: window.isMaximized() } };
      this.saveSoon();
    };
    for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) window.on(event, update);
    window.on('close', () => {
      update();
      this.quitting = true;
      this.saveNow();
    });
  }

  trackPopout(window: TrackedWindow, id: string, panel: PopoutPanel): void {
    const update = () => {
      const entry: PopoutWindow = { id, panel, bounds: rounded(window.getNormalBounds()) };
      this.state = { ...this.state, popouts: [...this.state.popouts.filter((p) => p.id !== id), entry].slice(-16) };
      this.saveSoon();
    };
    update();
    for (const event of ['resize', 'move'] as const) window.on(event, update);
    window.on('closed', () => {
      if (this.quitting) return;
      // Closed by the person while the desk runs on: not reopened next time.
      this.state = { ...this.state, popouts: this.state.popouts.filter((p) => p.id !== id) };
      this.saveSoon();
    });
  }

  /** The app is quitting: keep the popped-out windows as they are. */
  quit(): void {
    this.quitting = true;
    this.saveNow();
  }

  saveNow(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      const temporary = `${this.path}.tmp`;
      writeFileSync(temporary, JSON.stringify(this.state), { mode: 0o600 });
      renameSync(temporary, this.path);
    } catch (error) {
      this.warn('window positions not saved', { path: this.path, error: String(error) });
    }
  }

  private saveSoon(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => this.saveNow(), SAVE_DELAY_MS);
    this.timer.unref?.();
  }

  private read(): WindowStateFile {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch {
      return { popouts: [] };
    }
    try {
      const parsed = stateSchema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
      this.warn('window positions file not valid: default positions', { path: this.path });
    } catch {
      this.warn('window positions file is not JSON: default positions', { path: this.path });
    }
    return { popouts: [] };
  }
}

function rounded(b: Bounds): Bounds {
  return { x: Math.round(b.x), y: Math.round(b.y), width: Math.max(200, Math.round(b.width)), height: Math.max(150, Math.round(b.height)) };
}

/** At least 100 × 50 px of the window's top is on some screen (its title bar can be grabbed). */
export function onScreen(b: Bounds, screens: readonly Bounds[]): boolean {
  return screens.some((s) => {
    const width = Math.min(b.x + b.width, s.x + s.width) - Math.max(b.x, s.x);
    const height = Math.min(b.y + 50, s.y + s.height) - Math.max(b.y, s.y);
    return width >= 100 && height >= 50;
  });
}

/**
 * A request from our page to pop a panel out (window.open of our own index.html with `?panel=…&window=…`),
 * or undefined for anything else (which stays refused).
 */
export function popoutRequest(url: string, indexFile: string, devServerUrl?: string): { panel: PopoutPanel; id: string } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const ours = devServerUrl !== undefined ? parsed.origin === new URL(devServerUrl).origin : parsed.protocol === 'file:' && parsed.pathname === pathToFileURL(indexFile).pathname;
  if (!ours) return undefined;
  const panel = parsed.searchParams.get('panel');
  const id = parsed.searchParams.get('window');
  if (panel === null || id === null || !/^[a-z0-9]{1,12}$/.test(id) || !(POPOUT_PANELS as readonly string[]).includes(panel)) return undefined;
  return { panel: panel as PopoutPanel, id };
}
