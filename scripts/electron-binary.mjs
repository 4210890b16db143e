// Electron's binary for `npm start`. Electron's own install script (node_modules/electron/install.js)
// downloads it, and fails the whole `npm install` when it cannot (offline, behind a proxy), so npm does
// not run it by itself (package.json: "allowScripts": { "electron": false }). The project's postinstall
// runs it instead (`node scripts/electron-binary.mjs --postinstall`): where the download works, Electron
// is installed; where it cannot (no internet, or ELECTRON_SKIP_BINARY_DOWNLOAD set, as in CI), one line
// says so and the install succeeds; `npm start` then runs the browser desk. `npm run electron:install`
// runs it again later, with Electron's whole error and its exit code.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** How long the postinstall waits for the download before it gives up (a blackholed network never answers). */
const POSTINSTALL_TIMEOUT_MS = 5 * 60_000;
const LATER = 'npm start runs the browser desk; `npm run electron:install` fetches Electron later';

/** The electron package's folder (MERIDIAN_ELECTRON_DIR: another one, for tests of this script). */
export function electronPackageDir(env = process.env) {
  return env.MERIDIAN_ELECTRON_DIR || join(root, 'node_modules', 'electron');
}

/** The Electron executable if its package finished installing (path.txt names it inside dist/), else null. */
export function electronBinary(env = process.env) {
  const packageDir = electronPackageDir(env);
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

/** The one line that says why Electron's install script failed: its error's first line. */
function reasonOf(output) {
  const lines = output.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('at '));
  const error = lines.find((l) => /^\w*Error\b|^Error:/.test(l)) ?? lines[0] ?? 'no output';
  return error.length > 160 ? `${error.slice(0, 157)}...` : error;
}

/**
 * Runs Electron's install script. Returns { code, line }: the exit code this script should end with,
 * and the one line to print (null when there is nothing to say).
 */
export function installElectron({ postinstall, env = process.env }) {
  const packageDir = electronPackageDir(env);
  const installScript = join(packageDir, 'install.js');
  // Installed without devDependencies (npm install --omit=dev): no Electron wanted.
  if (!existsSync(installScript)) return { code: 0, line: postinstall ? null : `no Electron package at ${packageDir}: run npm install first` };
  if (electronBinary(env) !== null) return { code: 0, line: postinstall ? null : 'Electron is installed' };
  if (env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    return { code: postinstall ? 0 : 1, line: `Electron not downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD is set): ${LATER}` };
  }
  const run = spawnSync(process.execPath, [installScript], {
    cwd: packageDir,
    env,
    encoding: 'utf8',
    stdio: postinstall ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    ...(postinstall && { timeout: POSTINSTALL_TIMEOUT_MS }),
  });
  if (run.status === 0 && electronBinary(env) !== null) return { code: 0, line: `Electron installed: npm start opens the desktop app` };
  if (!postinstall) return { code: run.status || 1, line: `Electron was not installed (${run.error?.message ?? `its install script exited with ${run.status ?? run.signal}`})` };
  const why = run.error?.code === 'ETIMEDOUT' ? `no answer in ${POSTINSTALL_TIMEOUT_MS / 60_000} minutes` : run.error !== undefined ? run.error.message : reasonOf(`${run.stderr}\n${run.stdout}`);
  return { code: 0, line: `Electron could not be downloaded (${why}): ${LATER}` };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { code, line } = installElectron({ postinstall: process.argv.includes('--postinstall') });
  if (line !== null) console.log(line);
  process.exit(code);
}
