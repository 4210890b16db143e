import type { StartOfDayPosition } from '../journal/desk-events';
import { isDecimalString } from '../../../shared/domain/decimal-string';
import type { CsvProblem } from '../csv/csv-table';
import { parseCsvTable } from '../csv/csv-table';
import { Dec } from '../decimal/decimal';
import type { InstrumentMaster } from '../instruments/instrument-master';
import { positionKey } from './position-key';

/**
 * The start-of-day file: CSV with a header `account,instrumentId,quantity,price`, one row per
 * position (quantity signed: negative is short; price per unit in the instrument's price terms, %
 * of par for a bond). Validated as a whole: any bad row and nothing is imported; each problem names
 * its line and field.
 */
export const START_OF_DAY_COLUMNS = ['account', 'instrumentId', 'quantity', 'price'] as const;

export type StartOfDayParse = { readonly ok: true; readonly positions: readonly StartOfDayPosition[] } | { readonly ok: false; readonly problems: readonly CsvProblem[] };

export function parseStartOfDayFile(text: string, accounts: readonly string[], master: Pick<InstrumentMaster, 'get'>): StartOfDayParse {
  const table = parseCsvTable(text, { required: START_OF_DAY_COLUMNS });
  if (!table.ok) return { ok: false, problems: table.problems };
  const problems: CsvProblem[] = [];
  const positions: StartOfDayPosition[] = [];
  const lines = new Map<string, number>();
  for (const row of table.rows) {
    const v = row.values;
    const bad = (field: string, message: string) => problems.push({ line: row.line, field, message });
    const account = v.account ?? '';
    const instrumentId = v.instrumentId ?? '';
    const quantity = v.quantity ?? '';
    const price = v.price ?? '';
    if (!accounts.includes(account)) bad('account', account === '' ? 'account is required' : `account '${account}' is not one of the desk's accounts`);
    const instrument = master.get(instrumentId);
    if (instrument === undefined) bad('instrumentId', instrumentId === '' ? 'instrumentId is required' : `no instrument '${instrumentId}' in the desk's instrument master`);
    if (!isDecimalString(quantity)) bad('quantity', `quantity '${quantity}' is not a decimal (negative for a short)`);
    if (!isDecimalString(price)) bad('price', `price '${price}' is not a decimal`);
    else if (new Dec(price).isNegative() && instrument?.assetClass !== 'future') bad('price', `price '${price}' is negative: only a future's may be`);
    if (instrument === undefined || !accounts.includes(account)) continue;
    const key = positionKey(account, instrumentId);
    const first = lines.get(key);
    if (first !== undefined) bad('instrumentId', `${account} holds ${instrumentId} already on line ${first}: one row per position`);
    lines.set(key, row.line);
    if (isDecimalString(quantity) && isDecimalString(price)) positions.push({ account, instrument, quantity: new Dec(quantity).toFixed(), price: new Dec(price).toFixed() });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, positions };
}
