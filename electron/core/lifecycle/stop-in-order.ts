import type { Logger } from '../log/logger';

export type StopStep = readonly [what: string, stop: (() => Promise<void>) | undefined];

/** Runs each stop step in order, logging (not throwing) a failure; true when every step succeeded. */
export async function stopInOrder(steps: readonly StopStep[], log: Logger): Promise<boolean> {
  let allStopped = true;
  for (const [what, stop] of steps) {
    if (stop === undefined) continue;
    try {
      await stop();
    } catch (e) {
      log.error(`stopping the ${what} failed`, { error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      allStopped = false;
    }
  }
  return allStopped;
}
