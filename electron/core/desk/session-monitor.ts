import type { DropCopySessionView, SessionStatsView, SessionView } from '../../../shared/contract/views';
import type { SessionState } from '../../../shared/domain/order-types';
import type { BrokerConnection } from '../broker/broker-port';
import type { BrokerConfig } from '../config/desk-config';
import type { Logger } from '../log/logger';
import type { Clock, TimerHandle } from '../time/clock';
import type { DropCopyFigures } from './drop-copy';
import { dropCopyConfig } from './drop-copy';

/** How often the desk asks each session for its figures. A view is published only when they changed. */
export const SESSION_REFRESH_MS = 1_000;

export interface SessionMonitorDeps {
  readonly brokers: readonly BrokerConfig[];
  readonly clock: Clock;
  readonly log: Logger;
  readonly connections: ReadonlyMap<string, BrokerConnection>;
  readonly dropCopies: ReadonlyMap<string, BrokerConnection>;
  readonly dropCopyFigures: (broker: string) => DropCopyFigures;
  readonly publish: (view: SessionView) => void;
}

/**
 * The session views: each broker's trading session and drop copy, their state and live figures
 * (`BrokerConnection.stats()`). Rebuilt on every state change and once a second; published only
 * when something in them changed, so an idle desk sends nothing.
 */
export class SessionMonitor {
  private readonly views = new Map<string, SessionView>();
  /** The error that came with the latest state change, per broker and role. */
  private readonly stateErrors = new Map<string, string>();
  private timer: TimerHandle | undefined;
  private running = false;
  /** After stop(), sessions are not asked again (a stopped connection has closed its store). */
  private stopped = false;

  constructor(private readonly deps: SessionMonitorDeps) {
    for (const config of deps.brokers) this.views.set(config.name, this.build(config, this.deps.clock.now().toISOString()));
  }

  all(): SessionView[] {
    return [...this.views.values()];
  }

  get(broker: string): SessionView | undefined {
    return this.views.get(broker);
  }

  /** A session changed state: remember the error it gave (or clear it), and publish now. */
  stateChanged(broker: string, role: 'trading' | 'dropCopy', error: string | undefined): void {
    const key = `${role}:${broker}`;
    if (error === undefined) this.stateErrors.delete(key);
    else this.stateErrors.set(key, error);
    this.refresh(broker);
  }

  refresh(broker: string): void {
    if (this.stopped) return;
    const config = this.deps.brokers.find((b) => b.name === broker);
    const before = this.views.get(broker);
    if (config === undefined || before === undefined) return;
    const next = this.build(config, before.updatedAt);
    if (sameView(before, next)) return;
    const view = { ...next, updatedAt: this.deps.clock.now().toISOString() };
    this.views.set(broker, view);
    this.deps.publish(view);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.running = false;
    if (this.timer !== undefined) this.deps.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    this.timer = this.deps.clock.setTimeout(() => {
      this.timer = undefined;
      if (!this.running) return;
      for (const config of this.deps.brokers) this.refresh(config.name);
      this.schedule();
    }, SESSION_REFRESH_MS);
  }

  private build(config: BrokerConfig, updatedAt: string): SessionView {
    const connection = this.deps.connections.get(config.name);
    const state: SessionState = connection?.state ?? 'stopped';
    const stateError = this.stateErrors.get(`trading:${config.name}`);
    const stats = this.stats(connection, config.name);
    const dropCopy = this.dropCopyView(config);
    return {
      broker: config.name,
      host: config.host,
      port: config.port,
      senderCompId: config.senderCompId,
      targetCompId: config.targetCompId,
      fixVersion: config.fixVersion,
      state,
      ...(stateError !== undefined && { lastError: stateError }),
      ...(stats !== undefined && { stats }),
      ...(dropCopy !== undefined && { dropCopy }),
      updatedAt,
    };
  }

  private dropCopyView(config: BrokerConfig): DropCopySessionView | undefined {
    const dc = dropCopyConfig(config);
    if (dc === undefined) return undefined;
    const connection = this.deps.dropCopies.get(config.name);
    const stateError = this.stateErrors.get(`dropCopy:${config.name}`);
    const stats = this.stats(connection, `${config.name} drop copy`);
    const figures = this.deps.dropCopyFigures(config.name);
    return {
      host: dc.host,
      port: dc.port,
      senderCompId: dc.senderCompId,
      targetCompId: dc.targetCompId,
      state: connection?.state ?? 'stopped',
      ...(stateError !== undefined && { lastError: stateError }),
      ...(stats !== undefined && { stats }),
      mismatches: figures.mismatches,
      awaitingMatch: figures.awaitingMatch,
      ...(figures.lastMismatch !== undefined && { lastMismatch: figures.lastMismatch }),
    };
  }

  private stats(connection: BrokerConnection | undefined, what: string): SessionStatsView | undefined {
    if (connection === undefined) return undefined;
    try {
      const s = connection.stats();
      return {
        nextIncomingSeqNum: s.nextIncomingSeqNum,
        nextOutgoingSeqNum: s.nextOutgoingSeqNum,
        ...(s.loggedOnAt !== undefined && { loggedOnAt: s.loggedOnAt }),
        ...(s.lastReceivedAt !== undefined && { lastReceivedAt: s.lastReceivedAt }),
        ...(s.lastSentAt !== undefined && { lastSentAt: s.lastSentAt }),
        ...(s.lastHeartbeatAt !== undefined && { lastHeartbeatAt: s.lastHeartbeatAt }),
        gapsDetected: s.gapsDetected,
        resendRequestsSent: s.resendRequestsSent,
        resendRequestsServed: s.resendRequestsServed,
        heldMessages: s.heldMessages,
        ...(s.lastResendAt !== undefined && { lastResendAt: s.lastResendAt }),
        inSchedule: s.inSchedule,
        ...(s.lastError !== undefined && { lastError: s.lastError }),
        ...(s.possDupDropped !== undefined && { possDupDropped: s.possDupDropped }),
        ...(s.garbledIgnored !== undefined && { garbledIgnored: s.garbledIgnored }),
        ...(s.resendRequestsCoalesced !== undefined && { resendRequestsCoalesced: s.resendRequestsCoalesced }),
        ...(s.idle !== undefined && { idle: s.idle }),
      };
    } catch (error) {
      this.deps.log.debug('session stats unavailable', { session: what, error: String(error) });
      return undefined;
    }
  }
}

function sameView(a: SessionView, b: SessionView): boolean {
  return JSON.stringify({ ...a, updatedAt: '' }) === JSON.stringify({ ...b, updatedAt: '' });
}
