import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The project's postinstall, run as npm runs it, against electron packages made here (an install
 * script that fails the way Electron's does offline, one that installs), never the real one: a test
 * must not download 100 MB. The real one, offline, is what `npm ci` on this machine shows.
 */
const script = resolve(import.meta.dirname, 'electron-binary.mjs');
const dir = mkdtempSync(join(tmpdir(), 'meridian-electron-binary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fakeElectron(name: string, installJs: string): string {
  const packageDir = join(dir, name);
  mkdirSync(packageDir, { recursive: true });
  writeFileSync(join(packageDir, 'install.js'), installJs);
  return packageDir;
}

const OFFLINE = `console.error('RequestError: getaddrinfo ENOTFOUND github.com\\n    at ClientRequest.<anonymous> (/x/got/index.js:970:111)\\n    at emitErrorEvent (node:_http_client:101:11)'); process.exit(1);`;
const INSTALLS = `const fs = require('fs'); fs.mkdirSync(__dirname + '/dist'); fs.writeFileSync(__dirname + '/dist/electron', ''); fs.writeFileSync(__dirname + '/path.txt', 'electron');`;

function run(packageDir: string, args: string[], env: Record<string, string> = {}) {
  const base: NodeJS.ProcessEnv = { ...process.env, MERIDIAN_ELECTRON_DIR: packageDir, ...env };
  if (!('ELECTRON_SKIP_BINARY_DOWNLOAD' in env)) delete base.ELECTRON_SKIP_BINARY_DOWNLOAD;
  const result = spawnSync(process.execPath, [script, ...args], { env: base, encoding: 'utf8' });
  return { code: result.status, lines: `${result.stdout}${result.stderr}`.split('\n').filter((l) => l !== '') };
}

describe('the postinstall that fetches Electron', () => {
  it('offline: one line with the reason and what to do later, and the install succeeds', () => {
    const packageDir = fakeElectron('offline', OFFLINE);
    expect(run(packageDir, ['--postinstall'])).toEqual({
      code: 0,
      lines: ['Electron could not be downloaded (RequestError: getaddrinfo ENOTFOUND github.com): npm start runs the browser desk; `npm run electron:install` fetches Electron later'],
    });
    // Asked for explicitly, it fails with Electron's own error.
    const explicit = run(packageDir, []);
    expect(explicit.code).toBe(1);
    expect(explicit.lines).toContain('RequestError: getaddrinfo ENOTFOUND github.com');
  });

  it('ELECTRON_SKIP_BINARY_DOWNLOAD (CI): one line, no download attempted, the install succeeds', () => {
    const packageDir = fakeElectron('skipped', `require('fs').writeFileSync(__dirname + '/ran', ''); process.exit(1);`);
    expect(run(packageDir, ['--postinstall'], { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' })).toEqual({
      code: 0,
      lines: ['Electron not downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD is set): npm start runs the browser desk; `npm run electron:install` fetches Electron later'],
    });
    expect(existsSync(join(packageDir, 'ran')), 'the install script was not run').toBe(false);
  });

  it('online: Electron is installed, and a second install says nothing', () => {
    const packageDir = fakeElectron('online', INSTALLS);
    expect(run(packageDir, ['--postinstall'])).toEqual({ code: 0, lines: ['Electron installed: npm start opens the desktop app'] });
    expect(run(packageDir, ['--postinstall'])).toEqual({ code: 0, lines: [] });
  });

  it('installed without devDependencies (no electron package): nothing to do', () => {
    expect(run(join(dir, 'absent'), ['--postinstall'])).toEqual({ code: 0, lines: [] });
  });
});
