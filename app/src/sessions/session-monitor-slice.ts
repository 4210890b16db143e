import type { FixLogEntryView, SessionRole } from '../../../shared/contract/views';

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
 * The session monitor's slice of the desk store: whether it is open, which session's FIX log it
 * shows with which filter and page, and the last action's outcome. The sessions themselves come from
 * the desk's stream (`data.sessions`).
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

export const closedSessionMonitor: SessionMonitorState = {
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
