import { BrowserWindow, app, session } from 'electron';
import type { WebFrameMain } from 'electron';
import { pathToFileURL } from 'node:url';
import { ELECTRON_CONNECT_SRC, contentSecurityPolicy } from '../host/security-policy';

export interface RendererLocation {
  /** out/renderer/index.html, loaded with loadFile. */
  readonly indexFile: string;
  /** The electron-vite dev server (ELECTRON_RENDERER_URL), in development only. */
  readonly devServerUrl?: string;
}

/**
 * Locks down every web contents the app creates: no new windows (a page's request to pop a panel
 * out goes to `onPopout`, which opens our own window for it), no navigation away, no webviews, no
 * permission but desktop notifications for our own page, and the CSP on every response (a header, so
 * it also covers what a <meta> misses).
 */
export function hardenSessions(renderer: RendererLocation, onPopout?: (url: string) => void): void {
  const csp =
    renderer.devServerUrl === undefined
      ? contentSecurityPolicy(ELECTRON_CONNECT_SRC)
      : // Vite's dev server injects an inline module script and talks HMR over a WebSocket.
        contentSecurityPolicy(`'self' ws://localhost:* ws://127.0.0.1:*`).replace("script-src 'self'", "script-src 'self' 'unsafe-inline'");
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  const trusted = trustedFrameCheck(renderer);
  const notificationsFromUs = (permission: string, frame: WebFrameMain | null | undefined): boolean => permission === 'notifications' && frame != null && trusted(frame);
  session.defaultSession.setPermissionRequestHandler((contents, permission, callback) => callback(notificationsFromUs(permission, contents.mainFrame)));
  session.defaultSession.setPermissionCheckHandler((contents, permission) => notificationsFromUs(permission, contents?.mainFrame));

  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      onPopout?.(url);
      return { action: 'deny' };
    });
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

/** Our renderer's main frame, at our own index.html (or the dev server in development). */
export function trustedFrameCheck(renderer: RendererLocation): (frame: WebFrameMain) => boolean {
  const indexUrl = pathToFileURL(renderer.indexFile).href;
  const devOrigin = renderer.devServerUrl === undefined ? undefined : new URL(renderer.devServerUrl).origin;
  return (frame) => {
    if (frame.parent !== null) return false;
    let url: URL;
    try {
      url = new URL(frame.url);
    } catch {
      return false;
    }
    if (devOrigin !== undefined && url.origin === devOrigin) return true;
    url.hash = '';
    url.search = '';
    return url.protocol === 'file:' && url.href === indexUrl;
  };
}

export interface DeskWindowOptions {
  readonly renderer: RendererLocation;
  readonly preload: string;
  readonly icon?: string;
  readonly devTools: boolean;
  /** Where it was last time (window-state.ts); default: 1600 × 960, centred. */
  readonly bounds?: { x: number; y: number; width: number; height: number };
  readonly maximized?: boolean;
  /** A popped-out panel: the page's query (`panel`, `window`). */
  readonly popout?: { readonly panel: string; readonly id: string };
}

/** The desk's window, or a popped-out panel's: the same page, preload and security settings. */
export function createDeskWindow(options: DeskWindowOptions): BrowserWindow {
  const popout = options.popout;
  const window = new BrowserWindow({
    width: options.bounds?.width ?? (popout ? 1100 : 1600),
    height: options.bounds?.height ?? (popout ? 700 : 960),
    ...(options.bounds !== undefined && { x: options.bounds.x, y: options.bounds.y }),
    minWidth: popout ? 480 : 1024,
    minHeight: popout ? 320 : 640,
    title: 'Meridian Desk',
    backgroundColor: '#0b0f14',
    show: false,
    autoHideMenuBar: true,
    ...(options.icon !== undefined ? { icon: options.icon } : {}),
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
      devTools: options.devTools,
    },
  });
  window.once('ready-to-show', () => {
    if (options.maximized === true) window.maximize();
    window.show();
  });
  const query = popout === undefined ? undefined : { panel: popout.panel, window: popout.id };
  if (options.renderer.devServerUrl !== undefined) {
    const url = new URL(options.renderer.devServerUrl);
    for (const [key, value] of Object.entries(query ?? {})) url.searchParams.set(key, value);
    void window.loadURL(url.href);
  } else void window.loadFile(options.renderer.indexFile, query === undefined ? {} : { query });
  return window;
}
