import type { SessionState } from '../../../shared/domain/order-types';
import type { BrokerConnection, BrokerListener, ExecutionReportMessage, InboundMessage, NewOrderMessage, SessionAlert } from '../../core/broker/broker-port';
import type { BrokerConfigInput } from '../../core/config/desk-config';
import { brokerConfigSchema } from '../../core/config/desk-config';
import type { FixBrokerConnectionOptions } from '../../core/fix/fix-broker-connection';
import { createFixBrokerConnection } from '../../core/fix/fix-broker-connection';
import { createLogger } from '../../core/log/logger';
import { systemClock } from '../../core/time/clock';
import type { SimulatorConfigInput } from '../../simulator/simulator-config';
import { shippedInstrument } from '../../core/instruments/shipped-instruments.test-support';

/** Records what a connection reports and waits for what a test expects. */
export class Recorder implements BrokerListener {
  readonly states: Array<{ state: SessionState; error?: string }> = [];
  readonly messages: InboundMessage[] = [];
  readonly malformed: string[] = [];
  readonly alerts: SessionAlert[] = [];

  onState(_broker: string, state: SessionState, error?: string): void {
    this.states.push({ state, ...(error !== undefined ? { error } : {}) });
  }
  onMessage(_broker: string, message: InboundMessage): void {
    this.messages.push(message);
  }
  onMalformed(_broker: string, reason: string): void {
    this.malformed.push(reason);
  }
  onSessionAlert(_broker: string, alert: SessionAlert): void {
    this.alerts.push(alert);
  }

  executions(clOrdId?: string): ExecutionReportMessage[] {
    return this.messages.filter((m): m is ExecutionReportMessage => m.type === 'executionReport' && (clOrdId === undefined || m.clOrdId === clOrdId || m.origClOrdId === clOrdId));
  }
}

export async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000, detail?: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${detail ? `: ${detail()}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A connection to a simulated broker, with its log lines kept (and checked for passwords by tests). */
export function connection(
  config: Partial<BrokerConfigInput> & { name: string; port: number },
  options: Partial<FixBrokerConnectionOptions> = {},
): { connection: BrokerConnection; recorder: Recorder; logLines: string[] } {
  const recorder = new Recorder();
  const logLines: string[] = [];
  const log = createLogger({ level: 'debug', write: (line) => logLines.push(line) });
  const parsed = brokerConfigSchema.parse({
    senderCompId: 'MERIDIAN',
    targetCompId: config.name,
    heartbeatSeconds: 5,
    reconnectSeconds: 0.2,
    ...config,
  });
  const c = createFixBrokerConnection(parsed, recorder, { log, clock: systemClock, maxReconnectSeconds: 1, logoutTimeoutMs: 1_000, ...options });
  return { connection: c, recorder, logLines };
}

let counter = 0;
export function order(overrides: Partial<NewOrderMessage> = {}): NewOrderMessage {
  return {
    type: 'newOrder',
    clOrdId: `T${process.pid}-${Date.now().toString(36)}-${++counter}`,
    account: 'FUND-ALPHA',
    instrument: shippedInstrument('AAPL.XNAS'),
    tradeDate: '2026-11-27',
    side: 'buy',
    orderType: 'limit',
    quantity: '100',
    limitPrice: '1.00',
    timeInForce: 'day',
    transactTime: new Date(),
    ...overrides,
  };
}

export const SYMBOLS: SimulatorConfigInput['instruments'] = { 'AAPL.XNAS': { referencePrice: '100.00', volatility: 0, liquidity: '1000000' } };

/** Log lines at warn or above, as text: what a person reading the log would see. */
export function warnings(lines: readonly string[]): string[] {
  return lines.filter((l) => /"level":"(warn|error)"/.test(l));
}
