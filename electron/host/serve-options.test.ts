import { describe, expect, it } from 'vitest';
import { parseServeOptions } from './serve-options';

const cwd = '/desk';

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
      startTime: undefined,
    });
  });

  it('moves the desk clock to a start time, from a flag or the environment', () => {
    expect((parseServeOptions(['--start-time', '2026-03-02T09:00:00Z'], {}, cwd) as { startTime: Date }).startTime.toISOString()).toBe('2026-03-02T09:00:00.000Z');
    expect((parseServeOptions([], { MERIDIAN_START_TIME: '2026-03-03T08:30:00.000Z' }, cwd) as { startTime: Date }).startTime.toISOString()).toBe('2026-03-03T08:30:00.000Z');
    expect(() => parseServeOptions(['--start-time', 'yesterday'], {}, cwd)).toThrow(/start-time/);
    expect(() => parseServeOptions(['--start-time', '2026-13-45T00:00:00Z'], {}, cwd)).toThrow(/start-time/);
  });

  it('takes the environment, and flags over the environment', () => {
    const env = { MERIDIAN_PORT: '0', MERIDIAN_DATA_DIR: '/var/desk', MERIDIAN_TOKEN: 'env-token-0123456789' };
    expect(parseServeOptions([], env, cwd)).toMatchObject({ port: 0, dataDir: '/var/desk', token: 'env-token-0123456789' });
    const flags = ['--port', '8123', '--data-dir', 'd', '--token', 'flag-token-0123456789', '--no-sim', '--config', '/etc/desk.json', '--static-dir', 'web'];
    expect(parseServeOptions(flags, env, cwd)).toMatchObject({
      port: 8123,
      dataDir: '/desk/d',
      token: 'flag-token-0123456789',
      simulator: false,
      configPath: '/etc/desk.json',
      staticDir: '/desk/web',
    });
  });

  it('refuses bad values with a usage error', () => {
    expect(() => parseServeOptions(['--port', '70000'], {}, cwd)).toThrow(/port/);
    expect(() => parseServeOptions(['--port', 'abc'], {}, cwd)).toThrow(/port/);
    expect(() => parseServeOptions(['--token', 'short'], {}, cwd)).toThrow(/token/);
    expect(() => parseServeOptions(['--token', 'has spaces in it, 1234'], {}, cwd)).toThrow(/token/);
    expect(() => parseServeOptions(['--bogus'], {}, cwd)).toThrow(/bogus/);
    expect(() => parseServeOptions(['--allow-origin', 'http://x/path'], {}, cwd)).toThrow(/origin/);
    expect(parseServeOptions(['--help'], {}, cwd)).toBe('help');
  });
});
