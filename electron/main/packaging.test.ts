import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Packaging needs the internet (Electron and the packaging tools are downloaded), so it cannot run
 * here; what it will do is checked with electron-builder's own code: our electron-builder.yml loads
 * and passes its schema, and the fuse settings it produces, written by @electron/fuses into a fuse
 * wire laid out as in an Electron binary, leave the fuses as a desk needs them.
 */
const root = resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);

interface FusesModule {
  FuseV1Options: Record<string, number>;
  flipFuses(path: string, config: Record<string | number, unknown>): Promise<number>;
  getCurrentFuseWire(path: string): Promise<Record<string | number, unknown>>;
}
interface BuilderConfig {
  electronFuses?: Record<string, boolean>;
  asarUnpack?: string[];
  [key: string]: unknown;
}

async function builderConfig(): Promise<BuilderConfig> {
  const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
    getConfig(projectDir: string, configPath: string, fromOptions: null): Promise<BuilderConfig>;
    validateConfiguration(config: BuilderConfig, debug: null): Promise<void>;
  };
  const config = await getConfig(root, join(root, 'electron-builder.yml'), null);
  await validateConfiguration(config, null);
  return config;
}

/** The fuse configuration electron-builder passes to @electron/fuses for our electronFuses block. */
async function fuseConfigFor(config: BuilderConfig): Promise<Record<string | number, unknown>> {
  const { PlatformPackager } = require('app-builder-lib') as {
    PlatformPackager: { prototype: { generateFuseConfig(fuses: Record<string, boolean>): Promise<Record<string | number, unknown>> } };
  };
  return PlatformPackager.prototype.generateFuseConfig.call({}, config.electronFuses!);
}

describe('the packaged app (electron-builder.yml)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-fuses-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has a configuration electron-builder accepts', async () => {
    const config = await builderConfig();
    expect(config.electronFuses).toBeDefined();
    expect(JSON.stringify(config.asarUnpack)).not.toContain('jspurefix');
  });

  it('flips the fuses: no run-as-node, NODE_OPTIONS or inspector; encrypted cookies; only an integrity-checked app.asar', async () => {
    const fuses = require('@electron/fuses') as FusesModule;
    const { FuseState: state, SENTINEL: sentinel } = require('@electron/fuses/dist/constants.js') as { FuseState: Record<string, number>; SENTINEL: string };
    const option = fuses.FuseV1Options;
    // A fuse wire as Electron 41 carries it: the sentinel, version 1, 8 fuses, as shipped ('1' on, '0' off).
    const shipped = '10110011';
    const binary = join(dir, 'electron');
    writeFileSync(binary, Buffer.concat([Buffer.from('ELF...'), Buffer.from(sentinel), Buffer.from([1, shipped.length]), Buffer.from(shipped), Buffer.from('...')]));

    await fuses.flipFuses(binary, await fuseConfigFor(await builderConfig()));
    const wire = await fuses.getCurrentFuseWire(binary);
    const is = (fuse: string) => wire[option[fuse]!];
    expect({
      RunAsNode: is('RunAsNode'),
      EnableNodeOptionsEnvironmentVariable: is('EnableNodeOptionsEnvironmentVariable'),
      EnableNodeCliInspectArguments: is('EnableNodeCliInspectArguments'),
      EnableCookieEncryption: is('EnableCookieEncryption'),
      EnableEmbeddedAsarIntegrityValidation: is('EnableEmbeddedAsarIntegrityValidation'),
      OnlyLoadAppFromAsar: is('OnlyLoadAppFromAsar'),
      // Left as shipped: the window loads out/renderer from file://.
      GrantFileProtocolExtraPrivileges: is('GrantFileProtocolExtraPrivileges'),
    }).toEqual({
      RunAsNode: state.DISABLE,
      EnableNodeOptionsEnvironmentVariable: state.DISABLE,
      EnableNodeCliInspectArguments: state.DISABLE,
      EnableCookieEncryption: state.ENABLE,
      EnableEmbeddedAsarIntegrityValidation: state.ENABLE,
      OnlyLoadAppFromAsar: state.ENABLE,
      GrantFileProtocolExtraPrivileges: state.ENABLE,
    });
  });
});
