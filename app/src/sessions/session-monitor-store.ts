import type { Result } from '../../../shared/contract/result';
import type { SessionActionOutcome } from '../../../shared/contract/views';
import { callDesk } from '../store/actions';
import { deskStore, useDesk } from '../store/desk-store';
import type { FixLogFilter, LogSession, SessionMonitorState } from './session-monitor-slice';
import { closedSessionMonitor, FIX_LOG_PAGE_SIZE } from './session-monitor-slice';

export type { ActionNotice, FixLogFilter, LogSession, SessionMonitorState } from './session-monitor-slice';
export { emptyFilter, FIX_LOG_PAGE_SIZE } from './session-monitor-slice';

/** The session monitor's actions, over the desk store's `sessionMonitor` slice. */
export function useSessionMonitor<T>(selector: (state: SessionMonitorState) => T): T {
  return useDesk((s) => selector(s.sessionMonitor));
}

const monitorOf = (): SessionMonitorState => deskStore.getState().sessionMonitor;

function setMonitor(patch: Partial<SessionMonitorState>): void {
  deskStore.setState((s) => ({ sessionMonitor: { ...s.sessionMonitor, ...patch } }));
}

/** Opens the monitor, showing the FIX log of `broker` (else of the first session). */
export function openSessionMonitor(broker?: string, brokers: readonly string[] = []): void {
  const state = monitorOf();
  const target = broker ?? state.logSession?.broker ?? brokers[0];
  setMonitor({ open: true, notice: null });
  if (target !== undefined && (state.logSession?.broker !== target || state.logSession.role !== 'trading' || !state.open)) {
    showLog({ broker: target, role: 'trading' });
  }
}

export function closeSessionMonitor(): void {
  requestSerial++;
  setMonitor(closedSessionMonitor);
}

/** Shows another session's log, newest first, keeping the filter. */
export function showLog(session: LogSession): void {
  setMonitor({ logSession: session, pageStack: [], beforeId: undefined, selectedEntryId: null });
  void loadLog();
}

export function setLogFilter(filter: FixLogFilter): void {
  setMonitor({ filter, pageStack: [], beforeId: undefined, selectedEntryId: null });
  void loadLog();
}

export function olderLogPage(): void {
  const s = monitorOf();
  if (s.nextBeforeId === undefined) return;
  setMonitor({ pageStack: [...s.pageStack, s.beforeId], beforeId: s.nextBeforeId, selectedEntryId: null });
  void loadLog();
}

export function newerLogPage(): void {
  const s = monitorOf();
  if (s.pageStack.length === 0) return;
  setMonitor({ pageStack: s.pageStack.slice(0, -1), beforeId: s.pageStack.at(-1), selectedEntryId: null });
  void loadLog();
}

export function refreshLog(): void {
  void loadLog();
}

export function selectLogEntry(id: number | null): void {
  setMonitor({ selectedEntryId: id });
}

let requestSerial = 0;

async function loadLog(): Promise<void> {
  const s = monitorOf();
  if (s.logSession === null) return;
  const serial = ++requestSerial;
  setMonitor({ loading: true });
  const { filter, logSession, beforeId } = s;
  const result = await callDesk('getFixLog', {
    broker: logSession.broker,
    session: logSession.role,
    limit: FIX_LOG_PAGE_SIZE,
    ...(filter.search.trim() !== '' && { search: filter.search.trim() }),
    ...(filter.msgType !== '' && { msgType: filter.msgType }),
    ...(filter.direction !== '' && { direction: filter.direction }),
    ...(beforeId !== undefined && { beforeId }),
  });
  if (serial !== requestSerial) return; // a newer request, or closed, while this one was out
  if (!result.ok) {
    setMonitor({ loading: false, error: result.error.message });
    return;
  }
  const entries = result.value.entries;
  const selected = monitorOf().selectedEntryId;
  setMonitor({
    loading: false,
    error: null,
    entries,
    nextBeforeId: result.value.nextBeforeId,
    selectedEntryId: selected !== null && entries.some((e) => e.id === selected) ? selected : (entries[0]?.id ?? null),
  });
}

// ---- actions ----

function describe(session: LogSession): string {
  return session.role === 'trading' ? session.broker : `${session.broker} drop copy`;
}

async function act(session: LogSession, run: () => Promise<Result<SessionActionOutcome>>, what: string): Promise<Result<SessionActionOutcome>> {
  setMonitor({ notice: { ok: true, text: `${what} ${describe(session)}…` } });
  const result = await run();
  setMonitor({ notice: result.ok ? { ok: true, text: result.value.message } : { ok: false, text: `${what} ${describe(session)} refused: ${result.error.message}` } });
  return result;
}

export function connectSession(session: LogSession): Promise<unknown> {
  return act(session, () => callDesk('connectSession', { broker: session.broker, session: session.role }), 'Connect');
}

export function logoutSession(session: LogSession): Promise<unknown> {
  return act(session, () => callDesk('logoutSession', { broker: session.broker, session: session.role }), 'Log out');
}

export function openSequenceDialog(session: LogSession): void {
  setMonitor({ sequenceFor: session });
}

export function closeSequenceDialog(): void {
  setMonitor({ sequenceFor: null });
}

/** Sets the next sequence numbers (the person confirmed them); the desk's answer is returned for the dialog to show. */
export async function setNextSequenceNumbers(session: LogSession, values: { incoming?: number; outgoing?: number }): Promise<Result<SessionActionOutcome>> {
  return act(session, () => callDesk('setNextSequenceNumbers', { broker: session.broker, session: session.role, ...values, confirm: true }), 'Set sequence numbers of');
}
