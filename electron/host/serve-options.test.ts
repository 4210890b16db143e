import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseServeOptions } from './serve-options';

const cwd = '/desk';
const dir = mkdtempSync(join(tmpdir(), 'meridian-serve-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tokenFile(name: string, text: string, mode: number): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

describe('parseServeOptions', () => {
  it('has defaults relative to cwd', () => {
    expect(parseServeOptions([], {}, cwd)).toEqual({
      configPath: '/desk/config/desk.json',
      dataDir: '/desk/.data',
      port: 7400,
      token: undefined,
      simulator: true,
      simConfigPath: '/desk/config/simulator.json',
      staticDir: '/desk/out/renderer',
      extraOrigins: [],
      newJournal: false,
      backups: {},
    });
  });

  it('takes the environment, and flags over the environment', () => {
    const env = { MERIDIAN_PORT: '0', MERIDIAN_DATA_DIR: '/var/desk', MERIDIAN_TOKEN: 'env-token-0123456789' };
    expect(parseServeOptions([], env, cwd)).toMatchObject({ port: 0, dataDir: '/var/desk', token: 'env-token-0123456789' });
    const file = tokenFile('flag-token', 'file-token-0123456789\n', 0o600);
    const flags = ['--port', '8123', '--data-dir', 'd', '--token-file', file, '--no-sim', '--config', '/etc/desk.json', '--static-dir', 'web'];
    expect(parseServeOptions(flags, env, cwd)).toMatchObject({
      port: 8123,
      dataDir: '/desk/d',
      token: 'file-token-0123456789',
      simulator: false,
      configPath: '/etc/desk.json',
      staticDir: '/desk/web',
    });
  });

  it('never takes the token on the command line, where every local user can read it', () => {
    expect(() => parseServeOptions(['--token', 'flag-token-0123456789'], {}, cwd)).toThrow(/--token is not accepted: .*MERIDIAN_TOKEN.*--token-file/);
  });

  it('refuses a token file that others can read, or that is not a file', () => {
    const open = tokenFile('open-token', 'file-token-0123456789', 0o644);
    expect(() => parseServeOptions(['--token-file', open], {}, cwd)).toThrow(`--token-file ${open} is readable by others (mode 644): chmod 600 ${open}`);
    expect(() => parseServeOptions(['--token-file', tokenFile('group-token', 'file-token-0123456789', 0o640)], {}, cwd)).toThrow(/readable by others \(mode 640\)/);
    expect(parseServeOptions(['--token-file', tokenFile('owner-only', 'file-token-0123456789', 0o400)], {}, cwd)).toMatchObject({ token: 'file-token-0123456789' });
    expect(() => parseServeOptions(['--token-file', join(dir, 'missing')], {}, cwd)).toThrow(/cannot be read/);
    expect(() => parseServeOptions(['--token-file', dir], {}, cwd)).toThrow(/is not a file/);
    expect(() => parseServeOptions(['--token-file', tokenFile('short', 'short', 0o600)], {}, cwd)).toThrow(/token must be/);
  });

  it('takes backup settings and --new-journal', () => {
    expect(parseServeOptions(['--backup-dir', 'b', '--backup-every', '15', '--backup-keep', '10', '--new-journal'], {}, cwd)).toMatchObject({
      newJournal: true,
      backups: { dir: '/desk/b', everyMinutes: 15, keep: 10 },
    });
    expect(parseServeOptions(['--no-backups'], {}, cwd)).toMatchObject({ backups: { enabled: false } });
    expect(() => parseServeOptions(['--backup-every', '0'], {}, cwd)).toThrow(/--backup-every must be a number from 1/);
    expect(() => parseServeOptions(['--backup-keep', '2.5'], {}, cwd)).toThrow(/--backup-keep must be a whole number/);
    expect(() => parseServeOptions(['--backup-keep', ''], {}, cwd)).toThrow(/--backup-keep/);
  });

  it('refuses bad values with a usage error', () => {
    expect(() => parseServeOptions(['--port', '70000'], {}, cwd)).toThrow(/port/);
    expect(() => parseServeOptions(['--port', 'abc'], {}, cwd)).toThrow(/port/);
    expect(() => parseServeOptions([], { MERIDIAN_TOKEN: 'short' }, cwd)).toThrow(/token/);
    expect(() => parseServeOptions([], { MERIDIAN_TOKEN: 'has spaces in it, 1234' }, cwd)).toThrow(/token/);
    expect(() => parseServeOptions(['--bogus'], {}, cwd)).toThrow(/bogus/);
    expect(() => parseServeOptions(['--allow-origin', 'http://x/path'], {}, cwd)).toThrow(/origin/);
    expect(parseServeOptions(['--help'], {}, cwd)).toBe('help');
  });
});
