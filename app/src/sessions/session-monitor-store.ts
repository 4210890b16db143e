import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { DeskApi } from '../../../shared/contract/desk-api';
import type { Result } from '../../../shared/contract/result';
import type { FixLogEntryView, SessionActionOutcome, SessionRole } from '../../../shared/contract/views';

/** Which session's log is shown: a broker's trading session or its drop copy. */
export interface LogSession {
  readonly broker: string;
  readonly role: SessionRole;
}

export interface FixLogFilter {
  readonly search: string;
  /** '' = any message type. */
  readonly msgType: string;
  readonly direction: '' | 'in' | 'out';
}

/** The outcome of the last session action, shown beside the sessions. */
export interface ActionNotice {
  readonly ok: boolean;
  readonly text: string;
}

/**
 * The session monitor's own state, beside the feature (store/ is tuned separately): whether it is
 * open, which session's FIX log it shows with which filter and page, and the last action's outcome.
 * The sessions themselves come from the desk's stream (`data.sessions`).
 */
export interface SessionMonitorState {
  readonly open: boolean;
  readonly logSession: LogSession | null;
  readonly filter: FixLogFilter;
  /** `beforeId` of each page shown before this one (Newer goes back); [] on the newest page. */
  readonly pageStack: readonly (number | undefined)[];
  readonly beforeId: number | undefined;
  readonly entries: readonly FixLogEntryView[];
  readonly nextBeforeId: number | undefined;
  readonly selectedEntryId: number | null;
  readonly loading: boolean;
  readonly error: string | null;
  readonly notice: ActionNotice | null;
  /** The session whose next sequence numbers are being set, or null. */
  readonly sequenceFor: LogSession | null;
}

export const FIX_LOG_PAGE_SIZE = 50;
export const emptyFilter: FixLogFilter = { search: '', msgType: '', direction: '' };

const closed: SessionMonitorState = {
  open: false,
  logSession: null,
  filter: emptyFilter,
  pageStack: [],
  beforeId: undefined,
  entries: [],
  nextBeforeId: undefined,
  selectedEntryId: null,
  loading: false,
  error: null,
  notice: null,
  sequenceFor: null,
};

export const sessionMonitorStore = createStore<SessionMonitorState>()(() => closed);

export function useSessionMonitor<T>(selector: (state: SessionMonitorState) => T): T {
  return useStore(sessionMonitorStore, selector);
}

let deskApi: Pick<DeskApi, 'call'> | null = null;

/** The transport, set once at start-up beside the store's own (`setDeskApi`). */
export function setSessionMonitorApi(api: Pick<DeskApi, 'call'> | null): void {
  deskApi = api;
}

const NOT_CONNECTED = 'Not connected to the desk: nothing was sent';

/** Opens the monitor, showing the FIX log of `broker` (else of the first session). */
export function openSessionMonitor(broker?: string, brokers: readonly string[] = []): void {
  const state = sessionMonitorStore.getState();
  const target = broker ?? state.logSession?.broker ?? brokers[0];
  sessionMonitorStore.setState({ open: true, notice: null });
  if (target !== undefined && (state.logSession?.broker !== target || state.logSession.role !== 'trading' || !state.open)) {
    showLog({ broker: target, role: 'trading' });
  }
}

export function closeSessionMonitor(): void {
  requestSerial++;
  sessionMonitorStore.setState(closed, true);
}

/** Shows another session's log, newest first, keeping the filter. */
export function showLog(session: LogSession): void {
  sessionMonitorStore.setState({ logSession: session, pageStack: [], beforeId: undefined, selectedEntryId: null });
  void loadLog();
}

export function setLogFilter(filter: FixLogFilter): void {
  sessionMonitorStore.setState({ filter, pageStack: [], beforeId: undefined, selectedEntryId: null });
  void loadLog();
}

export function olderLogPage(): void {
  const s = sessionMonitorStore.getState();
  if (s.nextBeforeId === undefined) return;
  sessionMonitorStore.setState({ pageStack: [...s.pageStack, s.beforeId], beforeId: s.nextBeforeId, selectedEntryId: null });
  void loadLog();
}

export function newerLogPage(): void {
  const s = sessionMonitorStore.getState();
  if (s.pageStack.length === 0) return;
  sessionMonitorStore.setState({ pageStack: s.pageStack.slice(0, -1), beforeId: s.pageStack.at(-1), selectedEntryId: null });
  void loadLog();
}

export function refreshLog(): void {
  void loadLog();
}

export function selectLogEntry(id: number | null): void {
  sessionMonitorStore.setState({ selectedEntryId: id });
}

let requestSerial = 0;

async function loadLog(): Promise<void> {
  const s = sessionMonitorStore.getState();
  if (s.logSession === null) return;
  if (deskApi === null) {
    sessionMonitorStore.setState({ loading: false, error: NOT_CONNECTED });
    return;
  }
  const serial = ++requestSerial;
  sessionMonitorStore.setState({ loading: true });
  const { filter, logSession, beforeId } = s;
  const result = await deskApi.call('getFixLog', {
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
    sessionMonitorStore.setState({ loading: false, error: result.error.message });
    return;
  }
  const entries = result.value.entries;
  const selected = sessionMonitorStore.getState().selectedEntryId;
  sessionMonitorStore.setState({
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

async function act(session: LogSession, run: (api: Pick<DeskApi, 'call'>) => Promise<Result<SessionActionOutcome>>, what: string): Promise<Result<SessionActionOutcome> | null> {
  if (deskApi === null) {
    sessionMonitorStore.setState({ notice: { ok: false, text: NOT_CONNECTED } });
    return null;
  }
  sessionMonitorStore.setState({ notice: { ok: true, text: `${what} ${describe(session)}…` } });
  const result = await run(deskApi);
  sessionMonitorStore.setState({ notice: result.ok ? { ok: true, text: result.value.message } : { ok: false, text: `${what} ${describe(session)} refused: ${result.error.message}` } });
  return result;
}

export function connectSession(session: LogSession): Promise<unknown> {
  return act(session, (api) => api.call('connectSession', { broker: session.broker, session: session.role }), 'Connect');
}

export function logoutSession(session: LogSession): Promise<unknown> {
  return act(session, (api) => api.call('logoutSession', { broker: session.broker, session: session.role }), 'Log out');
}

export function openSequenceDialog(session: LogSession): void {
  sessionMonitorStore.setState({ sequenceFor: session });
}

export function closeSequenceDialog(): void {
  sessionMonitorStore.setState({ sequenceFor: null });
}

/** Sets the next sequence numbers (the person confirmed them); the desk's answer is returned for the dialog to show. */
export async function setNextSequenceNumbers(session: LogSession, values: { incoming?: number; outgoing?: number }): Promise<Result<SessionActionOutcome> | null> {
  return act(session, (api) => api.call('setNextSequenceNumbers', { broker: session.broker, session: session.role, ...values, confirm: true }), 'Set sequence numbers of');
}
