// `npm start`: the desk in Electron (with the bundled broker simulator) when Electron can run here;
// otherwise the headless desk (`npm run serve`), whose URL you open in a browser. Extra arguments
// are passed on (`npm start -- --no-sim`). Never downloads Electron: it only looks for the binary
// (`npm run electron:install` fetches it: scripts/electron-binary.mjs).
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary } from './electron-binary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

function hasDisplay() {
  if (process.platform !== 'linux') return true;
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

/**
 * Runs a child with our stdout/stderr and resolves with its exit code. On POSIX the child gets its
 * own process group, so a Ctrl+C in the terminal reaches only us and we pass it on to the child
 * alone: the desk then stops its own children (the simulator) in order.
 */
function run(command, commandArgs) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], detached: process.platform !== 'win32' });
    const forward = (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    for (const signal of signals) process.on(signal, forward);
    child.once('error', (e) => {
      console.error(`cannot run ${command}: ${e.message}`);
      resolve(1);
    });
    child.once('exit', (code, signal) => {
      for (const s of signals) process.off(s, forward);
      resolve(code ?? 128 + (constants.signals[signal] ?? 0));
    });
  });
}

/** `npm run <script>`, through the npm that runs us when there is one. */
function npmRun(script) {
  const npmCli = process.env.npm_execpath;
  if (npmCli && /\.[cm]?js$/.test(npmCli)) return run(process.execPath, [npmCli, 'run', '--silent', script]);
  return run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', script]);
}

const binary = electronBinary();
const reason = binary === null ? 'no Electron binary; `npm run electron:install` downloads it' : hasDisplay() ? null : 'no display: DISPLAY and WAYLAND_DISPLAY are unset';

let code;
if (reason === null) {
  const electronVite = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  code = await run(process.execPath, [electronVite, 'build']);
  if (code === 0) code = await run(binary, [root, ...args]);
} else {
  console.log(`Electron cannot start here (${reason}): running the headless desk instead — open the URL below`);
  // What `npm run serve` does, with the desk as our direct child (not behind npm and sh -c), so
  // signals reach it and its exit code comes back unchanged.
  code = await npmRun('build:renderer');
  if (code === 0) code = await run(process.execPath, ['--import', 'tsx', join(root, 'electron', 'host', 'serve-main.ts'), ...args]);
}
process.exit(code);
