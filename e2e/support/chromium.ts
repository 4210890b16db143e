import { existsSync } from 'node:fs';

/**
 * The one place that chooses the browser, for the e2e tests and the benchmarks alike:
 * $CHROMIUM_PATH, else Debian's chromium, else Playwright's own (on a laptop with `npx playwright install`).
 */
export const chromiumExecutablePath: string | undefined =
  process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

/** Without the background-networking flags chromium floods a closed network with refused connections. */
export const chromiumArgs: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

export const chromiumLaunchOptions = {
  ...(chromiumExecutablePath !== undefined && { executablePath: chromiumExecutablePath }),
  args: [...chromiumArgs],
};
