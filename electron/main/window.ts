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
 * Locks down every web contents the app creates: no new windows, no navigation away, no webviews,
 * no permissions, and the CSP on every response (a header, so it also covers what a <meta> misses).
 */
export function hardenSessions(renderer: RendererLocation): void {
  const csp =
    renderer.devServerUrl === undefined
      ? contentSecurityPolicy(ELECTRON_CONNECT_SRC)
      : // Vite's dev server injects an inline module script and talks HMR over a WebSocket.
        contentSecurityPolicy(`'self' ws://localhost:* ws://127.0.0.1:*`).replace("script-src 'self'", "script-src 'self' 'unsafe-inline'");
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
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

export function createDeskWindow(options: { renderer: RendererLocation; preload: string; icon?: string; devTools: boolean }): BrowserWindow {
  const window = new BrowserWindow({
    width: 1600,
    height: 960,
    minWidth: 1024,
    minHeight: 640,
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
  window.once('ready-to-show', () => window.show());
  if (options.renderer.devServerUrl !== undefined) void window.loadURL(options.renderer.devServerUrl);
  else void window.loadFile(options.renderer.indexFile);
  return window;
}
