import type { InstrumentTerms } from '../journal/desk-events';
import { shippedInstrument } from '../instruments/shipped-instruments.test-support';

/** What an `orderSubmitted` of `limitTicket` (test-support.ts) carries besides the ticket: the instrument's terms and the trade date. */
export const aaplTerms: InstrumentTerms = { instrument: shippedInstrument('AAPL.XNAS'), tradeDate: '2026-03-02' };
export const msftTerms: InstrumentTerms = { instrument: shippedInstrument('MSFT.XNAS'), tradeDate: '2026-03-02' };
