import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Electron cannot run in CI here, so its security settings are checked statically: the window's
 * webPreferences, and what the preload exposes. A failure names the file and the setting.
 */
const electronDir = join(import.meta.dirname, '..');
const sources = ['main', 'preload'].flatMap((folder) =>
  readdirSync(join(electronDir, folder))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => ({ file: `${folder}/${f}`, text: readFileSync(join(electronDir, folder, f), 'utf8') })),
);

describe('Electron security settings (static scan)', () => {
  it.each([
    ['contextIsolation: true', /contextIsolation:\s*true/],
    ['sandbox: true', /sandbox:\s*true/],
    ['nodeIntegration: false', /nodeIntegration:\s*false/],
    ['webSecurity: true', /webSecurity:\s*true/],
  ])('the window sets %s', (_name, pattern) => {
    expect(sources.some((s) => pattern.test(s.text))).toBe(true);
  });

  it.each([
    /nodeIntegration\w*:\s*true/,
    /contextIsolation:\s*false/,
    /sandbox:\s*false/,
    /webSecurity:\s*false/,
    /allowRunningInsecureContent:\s*true/,
    /webviewTag:\s*true/,
    /experimentalFeatures:\s*true/,
  ])('no file weakens a setting: %s', (pattern) => {
    expect(sources.filter((s) => pattern.test(s.text)).map((s) => s.file)).toEqual([]);
  });

  it('the preload exposes only the desk contract, never ipcRenderer itself', () => {
    const preload = sources.filter((s) => s.file.startsWith('preload/')).map((s) => s.text).join('\n');
    const exposed = [...preload.matchAll(/exposeInMainWorld\(\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
    expect(exposed).toEqual(['meridianDesk']);
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*[,)]/);
  });

  it('DevTools are off in the packaged app, with no way to turn them on', () => {
    const main = sources.filter((s) => s.file.startsWith('main/')).map((s) => s.text).join('\n');
    const settings = [...main.matchAll(/devTools:\s*([^,\n]+),/g)].map((m) => m[1]!.trim()).sort();
    expect(settings).toEqual(['!app.isPackaged', 'options.devTools']);
    expect(main).not.toMatch(/MERIDIAN_DEVTOOLS|openDevTools/);
  });

  it('the window denies new windows and navigation, and sets a CSP header', () => {
    const main = sources.filter((s) => s.file.startsWith('main/')).map((s) => s.text).join('\n');
    expect(main).toMatch(/setWindowOpenHandler\(\(\) => \(\{ action: 'deny' \}\)\)/);
    expect(main).toMatch(/will-navigate/);
    expect(main).toMatch(/Content-Security-Policy/);
  });
});
