import type { AlgoStatus } from '../../../shared/contract/algos';

/** What moves a parent: a person (pause, resume, cancel), the scheduler (flag, end), its children (all closed, filled). */
export type AlgoStatusEvent = 'pause' | 'resume' | 'cancel' | 'flag' | 'end' | 'childrenClosed' | 'filled';

/**
 * THE REVIEWED TABLE of a parent's status: (status, what happened) → status. Anything not listed
 * changes nothing. `cancelling` and `ending` send no new children and wait for the working ones to
 * close (cancelled, or left to finish: `atEnd: leaveWorking`); `filled` is the parent's quantity done.
 */
export const ALGO_STATUS_TABLE: { readonly [S in AlgoStatus]: Partial<Record<AlgoStatusEvent, AlgoStatus>> } = {
  running: { pause: 'paused', cancel: 'cancelling', flag: 'paused', end: 'ending', filled: 'completed' },
  paused: { resume: 'running', cancel: 'cancelling', flag: 'paused', end: 'ending', filled: 'completed' },
  cancelling: { childrenClosed: 'cancelled', filled: 'completed' },
  ending: { cancel: 'cancelling', childrenClosed: 'ended', filled: 'completed' },
  cancelled: {},
  ended: {},
  completed: {},
};

export function algoTransition(status: AlgoStatus, event: AlgoStatusEvent): AlgoStatus | undefined {
  return ALGO_STATUS_TABLE[status][event];
}

export function isLive(status: AlgoStatus): boolean {
  return status === 'running' || status === 'paused' || status === 'cancelling' || status === 'ending';
}
