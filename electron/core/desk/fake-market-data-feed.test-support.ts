import type { Instrument } from '../../../shared/domain/instrument';
import type { SessionState } from '../../../shared/domain/order-types';
import type { MarketDataFeed, MarketDataListener } from '../marketdata/market-data-port';

/** A market-data feed for desk tests: logs on at start, remembers what is subscribed; quotes come from the test through `listener`. */
export class FakeFeed implements MarketDataFeed {
  readonly name = 'VENUE';
  readonly endpoint = { host: '127.0.0.1', port: 9890, senderCompId: 'MERIDIAN-MD', targetCompId: 'VENUE', fixVersion: 'FIX.4.4' };
  state: SessionState = 'stopped';
  readonly subscribed = new Set<string>();
  constructor(readonly listener: MarketDataListener) {}
  start() {
    this.state = 'loggedOn';
    this.listener.onState('loggedOn');
  }
  async stop() {
    this.state = 'stopped';
  }
  subscribe(i: Instrument) {
    this.subscribed.add(i.id);
  }
  unsubscribe(id: string) {
    this.subscribed.delete(id);
  }
  stats() {
    return { nextIncomingSeqNum: 1, nextOutgoingSeqNum: 1, gapsDetected: 0, resendRequestsSent: 0, resendRequestsServed: 0, heldMessages: 0, inSchedule: true };
  }
}
