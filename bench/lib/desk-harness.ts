import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OrderTicket } from '../../shared/contract/ticket';
import type { DeskStreamMessage } from '../../shared/contract/streams';
import type { OrderStatus } from '../../shared/domain/order-types';
import type { DeskConfig } from '../../electron/core/config/desk-config';
import { parseDeskConfig } from '../../electron/core/config/desk-config';
import { createDesk } from '../../electron/core/desk/create-desk';
import type { CreateDeskOptions } from '../../electron/core/desk/create-desk';
import type { Desk } from '../../electron/core/desk/desk';
import { silentLogger } from '../../electron/core/log/logger';
import { waitFor } from './stats';

export interface BrokerEndpoint {
  readonly name: string;
  readonly port: number;
}

export function deskConfigFor(brokers: readonly BrokerEndpoint[]): DeskConfig {
  return parseDeskConfig({
    accounts: ['FUND-ALPHA', 'FUND-BETA'],
    brokers: brokers.map((b) => ({
      name: b.name,
      host: '127.0.0.1',
      port: b.port,
      senderCompId: 'MERIDIAN',
      targetCompId: b.name,
      heartbeatSeconds: 300,
      reconnectSeconds: 1,
    })),
  });
}

/**
 * The whole desk in this process (createDesk, real FIX adapter, real SQLite journal in a temp folder),
 * watched the way a host watches it: through its published stream.
 */
export class BenchDesk {
  readonly desk: Desk;
  readonly dataDir: string;
  /** Latest published status per order. */
  readonly status = new Map<string, OrderStatus>();
  executionsPublished = 0;
  private readonly watchers = new Map<string, { status: OrderStatus; resolve: () => void }>();
  private sessionStates = new Map<string, string>();
  private unsubscribe: (() => void) | undefined;

  constructor(config: DeskConfig, options: Partial<CreateDeskOptions> = {}, dataDir?: string) {
    this.dataDir = dataDir ?? mkdtempSync(join(tmpdir(), 'meridian-bench-desk-'));
    this.desk = createDesk({ config, dataDir: this.dataDir, log: silentLogger, ...options });
  }

  async start(waitForBrokers: readonly string[] = []): Promise<void> {
    await this.desk.start();
    this.unsubscribe = this.desk.subscribe((m) => this.onMessage(m));
    await waitFor(() => waitForBrokers.every((b) => this.sessionStates.get(b) === 'loggedOn'), 30_000, `brokers ${waitForBrokers.join(', ')} logged on`, 10);
  }

  /** Resolves when a published delta shows the order in `status`. Register right after submitting. */
  until(orderId: string, status: OrderStatus): Promise<void> {
    if (this.status.get(orderId) === status) return Promise.resolve();
    return new Promise((resolve) => this.watchers.set(orderId, { status, resolve }));
  }

  async submit(ticket: OrderTicket): Promise<string> {
    const result = await this.desk.call('submitOrder', ticket);
    if (!result.ok) throw new Error(`submitOrder refused: ${result.error.code} ${result.error.message}`);
    return result.value.orderId;
  }

  async stop(removeData = true): Promise<void> {
    this.unsubscribe?.();
    await this.desk.stop();
    if (removeData) rmSync(this.dataDir, { recursive: true, force: true });
  }

  private onMessage(message: DeskStreamMessage): void {
    switch (message.kind) {
      case 'snapshot':
        for (const s of message.sessions) this.sessionStates.set(s.broker, s.state);
        for (const o of message.orders) this.status.set(o.orderId, o.status);
        return;
      case 'sessions':
        for (const s of message.rows) this.sessionStates.set(s.broker, s.state);
        return;
      case 'executions':
        this.executionsPublished += message.rows.length;
        return;
      case 'orders':
        for (const o of message.rows) {
          this.status.set(o.orderId, o.status);
          const w = this.watchers.get(o.orderId);
          if (w !== undefined && w.status === o.status) {
            this.watchers.delete(o.orderId);
            w.resolve();
          }
        }
        return;
      default:
        return;
    }
  }
}

export function limitTicket(broker: string, instrumentId = 'AAPL.XNAS', quantity = '100', limitPrice = '100.00'): OrderTicket {
  return { instrumentId, side: 'buy', quantity, orderType: 'limit', limitPrice, timeInForce: 'day', account: 'FUND-ALPHA', broker };
}
