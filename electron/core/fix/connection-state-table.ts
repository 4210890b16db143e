import type { SessionState } from '../../../shared/domain/order-types';
import type { SessionStatsView } from '../../../shared/contract/views';

type SessionIdle = NonNullable<SessionStatsView['idle']>;

/**
 * THE BROKER CONNECTION STATE TABLE: (phase, event) → phase. Read this first.
 *
 * A broker connection (fix-broker-connection.ts) keeps one FIX session up over a socket it opens
 * itself, and reconnects by itself, except when a person logged it out, when the session schedule is
 * closed, or when the session halted (MsgSeqNum too low: the FIX rule wants a person). The driver
 * does what a phase means on entering it (open a socket, send Logon, start its one timer…) and
 * cancels the phase's timer on leaving it; every timer runs on the injected clock.
 *
 * Phases, one line each:
 *   stopped            not started, or stop() finished: no socket, the store closed
 *   connecting         the TCP/TLS connect is under way (timer: connect timeout)
 *   loggingOn          connected, our Logon sent, no answer yet (timer: logon timeout)
 *   loggedOn           the session is up: orders may go out
 *   waiting            the last connection failed or ended: the next try after a doubling delay (timer)
 *   idleLoggedOut      a person logged it out: down until connect()
 *   idleOutsideSchedule the session schedule is closed: down until it opens (or connect() overrides it)
 *   idleHalted         the session halted (MsgSeqNum too low): down until a person connects it
 *   loggingOut         our Logout sent at a person's request (timer: how long to wait for the answer) → idleLoggedOut
 *   closingSchedule    our Logout sent at the end of the schedule (timer, as above) → idleOutsideSchedule
 *   stopping           our Logout sent by stop() (timer, as above) → stopped
 *
 * Every pair not listed changes nothing (a late socket event, a second connect() while connecting).
 * Targets other than a phase:
 *   'connectIfScheduled'  connecting when the schedule is open (or a person overrode it), else idleOutsideSchedule
 */
export const CONNECTION_PHASES = [
  'stopped',
  'connecting',
  'loggingOn',
  'loggedOn',
  'waiting',
  'idleLoggedOut',
  'idleOutsideSchedule',
  'idleHalted',
  'loggingOut',
  'closingSchedule',
  'stopping',
] as const;
export type ConnectionPhase = (typeof CONNECTION_PHASES)[number];

export type ConnectionEvent =
  | 'start' // start()
  | 'stop' // stop()
  | 'connect' // connect(): a person (or the desk) asks for the session now
  | 'logout' // logout(): a person logs the session out
  | 'scheduleOpened' // the session schedule opened
  | 'scheduleClosed' // the session schedule closed
  | 'socketOpened' // the TCP/TLS connection is up
  | 'socketFailed' // it could not be made (refused, TLS, the connect timeout)
  | 'loggedOn' // the broker answered our Logon
  | 'logonTimedOut' // no answer to our Logon in time
  | 'logoutTimedOut' // no answer to our Logout in time
  | 'sessionEnded' // the session ended after a Logout exchange of ours
  | 'sessionFailed' // the session ended on an error (dropped, a Logout from the broker, a fault)
  | 'sessionHalted' // the session ended needing a person (MsgSeqNum too low)
  | 'retryDue'; // the waiting delay is over

export type ConnectionTarget = ConnectionPhase | 'connectIfScheduled';

type Row = readonly [from: ConnectionPhase, event: ConnectionEvent, to: ConnectionTarget];

/** Phases with a session on a socket (or a socket being opened) that a person's logout, the schedule or stop() must end. */
const UP = ['connecting', 'loggingOn'] as const;
const IDLE = ['idleLoggedOut', 'idleOutsideSchedule', 'idleHalted'] as const;
const LOGGING_OUT = ['loggingOut', 'closingSchedule', 'stopping'] as const;

const ROWS: readonly Row[] = [
  ['stopped', 'start', 'connectIfScheduled'],
  ['stopped', 'connect', 'connectIfScheduled'], // connect() before start(): starts (a person overriding the schedule: connecting)

  ['connecting', 'socketOpened', 'loggingOn'],
  ['connecting', 'socketFailed', 'waiting'],
  ['loggingOn', 'loggedOn', 'loggedOn'],
  ['loggingOn', 'logonTimedOut', 'waiting'],
  ['loggingOn', 'sessionFailed', 'waiting'],
  ['loggingOn', 'sessionEnded', 'waiting'],
  ['loggingOn', 'sessionHalted', 'idleHalted'], // a Logon answered with MsgSeqNum too low
  ...UP.flatMap((p): Row[] => [
    [p, 'logout', 'idleLoggedOut'], // not logged on yet: nothing to log out of, the socket is closed
    [p, 'scheduleClosed', 'idleOutsideSchedule'],
    [p, 'stop', 'stopped'],
  ]),

  ['loggedOn', 'sessionFailed', 'waiting'],
  ['loggedOn', 'sessionEnded', 'waiting'],
  ['loggedOn', 'sessionHalted', 'idleHalted'],
  ['loggedOn', 'logout', 'loggingOut'],
  ['loggedOn', 'scheduleClosed', 'closingSchedule'],
  ['loggedOn', 'stop', 'stopping'],

  ['waiting', 'retryDue', 'connectIfScheduled'],
  ['waiting', 'connect', 'connecting'], // a person: now, not after the delay
  ['waiting', 'logout', 'idleLoggedOut'],
  ['waiting', 'scheduleClosed', 'idleOutsideSchedule'],
  ['waiting', 'stop', 'stopped'],

  ...IDLE.flatMap((p): Row[] => [
    [p, 'connect', 'connecting'], // outside the schedule too: a person's override, until the schedule next changes
    [p, 'stop', 'stopped'],
  ]),
  ['idleOutsideSchedule', 'scheduleOpened', 'connecting'],
  ['idleOutsideSchedule', 'logout', 'idleLoggedOut'],
  ['idleHalted', 'logout', 'idleLoggedOut'],

  ...LOGGING_OUT.flatMap((p): Row[] => {
    const then: ConnectionPhase = p === 'loggingOut' ? 'idleLoggedOut' : p === 'closingSchedule' ? 'idleOutsideSchedule' : 'stopped';
    return [
      [p, 'sessionEnded', then],
      [p, 'sessionFailed', then],
      [p, 'sessionHalted', then],
      [p, 'logoutTimedOut', then], // no answer: the socket is closed anyway
    ];
  }),
  ['loggingOut', 'stop', 'stopping'],
  ['closingSchedule', 'stop', 'stopping'],
  ['closingSchedule', 'logout', 'loggingOut'],
];

const TABLE: ReadonlyMap<string, ConnectionTarget> = new Map(ROWS.map(([from, event, to]) => [`${from}|${event}`, to]));

if (TABLE.size !== ROWS.length) throw new Error('connection state table has a duplicate (phase, event) row');

/** Where an event takes the connection; undefined: the event changes nothing in this phase. */
export function connectionTransition(from: ConnectionPhase, event: ConnectionEvent): ConnectionTarget | undefined {
  return TABLE.get(`${from}|${event}`);
}

export function allConnectionTransitions(): readonly Row[] {
  return ROWS;
}

/** The session state the desk and the screens see, by phase. */
export const SESSION_STATE_OF: Readonly<Record<ConnectionPhase, SessionState>> = {
  stopped: 'stopped',
  connecting: 'connecting',
  loggingOn: 'connecting',
  loggedOn: 'loggedOn',
  waiting: 'disconnected',
  idleLoggedOut: 'stopped',
  idleOutsideSchedule: 'stopped',
  idleHalted: 'stopped',
  // Still logged on until the broker confirms our Logout (orders are refused meanwhile: the session is logging out).
  loggingOut: 'loggedOn',
  closingSchedule: 'loggedOn',
  stopping: 'loggedOn',
};

/** Why a session is not connecting, shown in the session monitor. */
export const IDLE_OF: Readonly<Partial<Record<ConnectionPhase, SessionIdle>>> = {
  idleLoggedOut: 'loggedOut',
  idleOutsideSchedule: 'outsideSchedule',
  idleHalted: 'halted',
};
