import { MAX_WIRE_MESSAGE_BYTES } from '../../../shared/contract/wire';
import type { WireDown } from '../../../shared/contract/wire';
import type { DeskStreamMessage } from '../../../shared/contract/streams';

/**
 * Checks the basic shape of what arrives from the desk. Not a full schema: enough that the store
 * and the grids can rely on row ids, versions and result envelopes. Anything else is dropped with
 * a reason, so one malformed message cannot corrupt the blotters.
 */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';

/** The key each stream's rows are identified by (the grid's getRowId). */
const ROW_KEYS = { orders: 'orderId', executions: 'execKey', sessions: 'broker', alerts: 'id' } as const;
/** Streams a snapshot may leave out (a desk without a market-data port). */
const OPTIONAL_ROW_KEYS = { quotes: 'instrumentId', marketDataSessions: 'name', algoParents: 'parentId', positions: 'key', tradingState: 'mode' } as const;
type RowStream = keyof typeof ROW_KEYS | keyof typeof OPTIONAL_ROW_KEYS;
const rowKey = (stream: RowStream): string => (stream in ROW_KEYS ? ROW_KEYS[stream as keyof typeof ROW_KEYS] : OPTIONAL_ROW_KEYS[stream as keyof typeof OPTIONAL_ROW_KEYS]);

function checkRows(stream: RowStream, rows: unknown): string | null {
  if (!Array.isArray(rows)) return `${stream}: rows is not an array`;
  const key = rowKey(stream);
  for (let i = 0; i < rows.length; i++) {
    const row: unknown = rows[i];
    if (!isRecord(row) || !isString(row[key]) || row[key] === '') return `${stream}[${i}]: missing ${key}`;
    if ((stream === 'orders' || stream === 'algoParents') && (typeof row.version !== 'number' || !Number.isFinite(row.version))) {
      return `${stream}[${i}]: missing version`;
    }
  }
  return null;
}

export function parseStreamMessage(raw: unknown): Parsed<DeskStreamMessage> {
  if (!isRecord(raw)) return { ok: false, reason: 'stream message is not an object' };
  const kind = raw.kind;
  if (kind === 'snapshot') {
    for (const stream of Object.keys(ROW_KEYS) as RowStream[]) {
      const problem = checkRows(stream, raw[stream]);
      if (problem) return { ok: false, reason: `snapshot ${problem}` };
    }
    if (raw.tradingState !== undefined && (!isRecord(raw.tradingState) || !isString(raw.tradingState.mode))) return { ok: false, reason: 'snapshot: tradingState is malformed' };
    for (const stream of ['quotes', 'marketDataSessions'] as const) {
      const problem = raw[stream] === undefined ? null : checkRows(stream, raw[stream]);
      if (problem) return { ok: false, reason: `snapshot ${problem}` };
    }
    const reference = raw.reference;
    if (
      !isRecord(reference) ||
      !Array.isArray(reference.brokers) ||
      !Array.isArray(reference.accounts) ||
      !Array.isArray(reference.instruments)
    ) {
      return { ok: false, reason: 'snapshot: reference data is malformed' };
    }
    if (raw.now !== undefined && (!isString(raw.now) || Number.isNaN(Date.parse(raw.now)))) return { ok: false, reason: 'snapshot: now is not a time' };
    if (raw.parts !== undefined && (typeof raw.parts !== 'number' || !Number.isSafeInteger(raw.parts) || raw.parts < 0)) {
      return { ok: false, reason: 'snapshot: parts is not a count' };
    }
    return { ok: true, value: raw as unknown as DeskStreamMessage };
  }
  if (kind === 'orders' || kind === 'executions' || kind === 'sessions' || kind === 'alerts' || kind === 'quotes' || kind === 'marketDataSessions' || kind === 'algoParents' || kind === 'positions' || kind === 'tradingState') {
    const problem = checkRows(kind, raw.rows);
    if (problem) return { ok: false, reason: problem };
    return { ok: true, value: raw as unknown as DeskStreamMessage };
  }
  return { ok: false, reason: `unknown stream kind ${JSON.stringify(kind)}` };
}

function checkResult(result: unknown): string | null {
  if (!isRecord(result) || typeof result.ok !== 'boolean') return 'result is not a { ok } envelope';
  if (result.ok) return 'value' in result ? null : 'ok result without value';
  const error = result.error;
  if (!isRecord(error) || !isString(error.code) || !isString(error.message)) return 'error result without code and message';
  if (error.fields !== undefined && !isRecord(error.fields)) return 'error fields is not an object';
  return null;
}

/** Parses one WebSocket text frame. */
export function parseWireDown(data: unknown): Parsed<WireDown> {
  if (!isString(data)) return { ok: false, reason: 'binary frame' };
  if (data.length > MAX_WIRE_MESSAGE_BYTES) return { ok: false, reason: `frame larger than ${MAX_WIRE_MESSAGE_BYTES} bytes` };
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (!isRecord(raw)) return { ok: false, reason: 'not an object' };
  switch (raw.kind) {
    case 'response': {
      if (typeof raw.id !== 'number' || !Number.isSafeInteger(raw.id)) return { ok: false, reason: 'response without id' };
      const problem = checkResult(raw.result);
      if (problem) return { ok: false, reason: problem };
      return { ok: true, value: raw as unknown as WireDown };
    }
    case 'stream': {
      const message = parseStreamMessage(raw.message);
      if (!message.ok) return message;
      return { ok: true, value: { kind: 'stream', message: message.value } };
    }
    case 'error':
      if (!isString(raw.message)) return { ok: false, reason: 'error without message' };
      return { ok: true, value: { kind: 'error', message: raw.message } };
    default:
      return { ok: false, reason: `unknown kind ${JSON.stringify(raw.kind)}` };
  }
}

/** Validates a result that came over IPC (the preload): same envelope check as the WebSocket. */
export function checkResultEnvelope(result: unknown): string | null {
  return checkResult(result);
}
