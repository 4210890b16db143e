import type { Result } from '../../../shared/contract/result';
import { fail, ok } from '../../../shared/contract/result';
import type { FixLogRequest, SessionActionRequest, SetNextSequenceNumbersRequest } from '../../../shared/contract/session-requests';
import type { FixLogEntryView, FixLogPage, SessionActionOutcome, SessionRole } from '../../../shared/contract/views';
import type { BrokerConnection } from '../broker/broker-port';
import { msgTypeName, parseFixText } from '../fix/fix-field-names';
import type { SessionAdministered } from '../journal/desk-events';
import type { DeskContext } from './desk-context';
import { record } from './desk-context';

/**
 * The session monitor's actions. Each one that changes a session is journaled as an audit event
 * (`sessionAdministered`, which changes no order) with what the session answered, and logged.
 */

export function connectSession(ctx: DeskContext, request: SessionActionRequest): Result<SessionActionOutcome> {
  const found = sessionOf(ctx, request);
  if (!found.ok) return found.result;
  const { connection, role, name } = found;
  if (connection.state === 'loggedOn') return ok({ broker: request.broker, session: role, message: `${name} is already logged on` });
  connection.connect();
  ctx.loggedOut.delete(sessionKey(request.broker, role));
  audit(ctx, { broker: request.broker, session: role, action: 'connect', outcome: 'done' });
  ctx.refreshSession(request.broker);
  return ok({ broker: request.broker, session: role, message: `Connecting ${name}: it logs on in a moment` });
}

export async function logoutSession(ctx: DeskContext, request: SessionActionRequest): Promise<Result<SessionActionOutcome>> {
  const found = sessionOf(ctx, request);
  if (!found.ok) return found.result;
  const { connection, role, name } = found;
  ctx.loggedOut.set(sessionKey(request.broker, role), ctx.now());
  audit(ctx, { broker: request.broker, session: role, action: 'logout', outcome: 'done' });
  await connection.logout('logged out from the session monitor');
  ctx.refreshSession(request.broker);
  return ok({ broker: request.broker, session: role, message: `${name} logged out: it stays out until you connect it` });
}

export function setNextSequenceNumbers(ctx: DeskContext, request: SetNextSequenceNumbersRequest): Result<SessionActionOutcome> {
  // The schema already requires it; said again here because this is the dangerous one.
  if (request.confirm !== true) return fail('INVALID_REQUEST', 'setting sequence numbers needs confirm: true');
  const found = sessionOf(ctx, request);
  if (!found.ok) return found.result;
  const { connection, role, name } = found;
  const values = {
    ...(request.incoming !== undefined && { incoming: request.incoming }),
    ...(request.outgoing !== undefined && { outgoing: request.outgoing }),
  };
  if (connection.state === 'loggedOn' || connection.state === 'connecting') {
    const reason = `${name} is ${connection.state === 'loggedOn' ? 'logged on' : 'connecting'}: log it out first`;
    ctx.log.warn('set next sequence numbers refused', { broker: request.broker, session: role, ...values, reason });
    return fail('SESSION_LOGGED_ON', reason);
  }
  const answer = connection.setNextSequenceNumbers(values);
  if (!answer.ok) {
    audit(ctx, { broker: request.broker, session: role, action: 'setNextSequenceNumbers', values, outcome: 'refused', reason: answer.reason });
    return fail('INVALID_REQUEST', `${name} refused the sequence numbers: ${answer.reason}`);
  }
  audit(ctx, { broker: request.broker, session: role, action: 'setNextSequenceNumbers', values, outcome: 'done' });
  ctx.refreshSession(request.broker);
  const said = [values.incoming !== undefined && `incoming ${values.incoming}`, values.outgoing !== undefined && `outgoing ${values.outgoing}`].filter(Boolean).join(', ');
  return ok({ broker: request.broker, session: role, message: `${name}: the next logon uses ${said}` });
}

export function fixLog(ctx: DeskContext, request: FixLogRequest): Result<FixLogPage> {
  const found = sessionOf(ctx, request);
  if (!found.ok) return found.result;
  const { connection, role } = found;
  const limit = request.limit;
  const rows = connection.messageLog({
    limit: limit + 1,
    ...(request.search !== undefined && request.search.trim() !== '' && { search: request.search.trim() }),
    ...(request.msgType !== undefined && { msgType: request.msgType }),
    ...(request.direction !== undefined && { direction: request.direction }),
    ...(request.beforeId !== undefined && { beforeId: request.beforeId }),
  });
  const page = rows.slice(0, limit);
  const entries = page.map(
    (e): FixLogEntryView => ({
      id: e.id,
      direction: e.direction,
      seqNum: e.seqNum,
      msgType: e.msgType,
      msgTypeName: msgTypeName(e.msgType),
      possDup: e.possDup,
      at: e.at,
      raw: e.raw,
      fields: parseFixText(e.raw),
    }),
  );
  const last = page.at(-1);
  return ok({ broker: request.broker, session: role, entries, ...(rows.length > limit && last !== undefined && { nextBeforeId: last.id }) });
}

/** `loggedOut` key: a broker's session a person logged out. */
export function sessionKey(broker: string, role: SessionRole): string {
  return `${role}:${broker}`;
}

function sessionOf(
  ctx: DeskContext,
  request: { readonly broker: string; readonly session?: SessionRole | undefined },
): { ok: true; connection: BrokerConnection; role: SessionRole; name: string } | { ok: false; result: Result<never> } {
  const role = request.session ?? 'trading';
  const connection = role === 'trading' ? ctx.brokers.get(request.broker) : ctx.dropCopies.get(request.broker);
  if (connection === undefined) {
    const message = role === 'trading' || !ctx.brokers.has(request.broker) ? `no broker named ${request.broker}` : `${request.broker} has no drop-copy session`;
    return { ok: false, result: fail('UNKNOWN_BROKER', message, { broker: message }) };
  }
  return { ok: true, connection, role, name: role === 'trading' ? request.broker : `${request.broker} drop copy` };
}

function audit(ctx: DeskContext, fields: Omit<SessionAdministered, 'type' | 'at'>): void {
  record(ctx, { type: 'sessionAdministered', at: ctx.now(), ...fields });
  const { broker, session, action, values, outcome, reason } = fields;
  ctx.log.info('session administered', { broker, session, action, ...values, outcome, ...(reason !== undefined && { reason }) });
}
