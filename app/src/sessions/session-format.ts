import type { SessionStatsView, SessionView } from '../../../shared/contract/views';
import { formatTime } from '../format/labels';

/** "4 s ago", "2 min 05 s ago", "1 h 02 min ago"; '—' when never. */
export function ageText(iso: string | undefined, nowMs: number): string {
  if (iso === undefined) return '—';
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return iso;
  const seconds = Math.max(0, Math.floor((nowMs - then) / 1000));
  const two = (n: number) => String(n).padStart(2, '0');
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${two(seconds % 60)} s ago`;
  return `${Math.floor(minutes / 60)} h ${two(minutes % 60)} min ago`;
}

/** Resend activity in one line: gaps, resend requests both ways, held messages, the last resend. */
export function resendText(stats: SessionStatsView | undefined): string {
  if (stats === undefined) return '—';
  const parts = [
    `${stats.gapsDetected} gap${stats.gapsDetected === 1 ? '' : 's'}`,
    `${stats.resendRequestsSent} asked`,
    `${stats.resendRequestsServed} served`,
  ];
  if (stats.heldMessages > 0) parts.push(`${stats.heldMessages} held`);
  if (stats.possDupDropped) parts.push(`${stats.possDupDropped} dup dropped`);
  if (stats.garbledIgnored) parts.push(`${stats.garbledIgnored} garbled`);
  if (stats.lastResendAt !== undefined) parts.push(`last ${formatTime(stats.lastResendAt)}`);
  return parts.join(' · ');
}

/** Whether the session should be up now, and why it is idle when it is. */
export function scheduleText(stats: SessionStatsView | undefined): string {
  if (stats === undefined) return '—';
  switch (stats.idle) {
    case 'loggedOut':
      return 'Logged out by a person';
    case 'outsideSchedule':
      return 'Outside schedule';
    case 'halted':
      return 'Halted: needs a person';
    default:
      return stats.inSchedule ? 'In schedule' : 'Outside schedule';
  }
}

/** The session's last error: what the latest state change said, else the session's own last error. */
export function lastErrorText(view: Pick<SessionView, 'lastError' | 'stats'>): string | undefined {
  return view.lastError ?? view.stats?.lastError;
}

/** Reads a sequence number typed by a person: blank = leave it, else a whole number ≥ 1. */
export function parseSeqNum(text: string): { ok: true; value: number | undefined } | { ok: false; error: string } {
  const t = text.trim();
  if (t === '') return { ok: true, value: undefined };
  if (!/^\d{1,10}$/.test(t)) return { ok: false, error: 'a whole number, 1 or more' };
  const value = Number(t);
  if (value < 1 || value > 2_147_483_647) return { ok: false, error: 'between 1 and 2147483647' };
  return { ok: true, value };
}

/** The confirmation, restating exactly what will be set. */
export function sequenceRestatement(name: string, values: { incoming?: number | undefined; outgoing?: number | undefined }, current: SessionStatsView | undefined): string[] {
  const lines: string[] = [];
  if (values.incoming !== undefined) {
    lines.push(`Next incoming sequence number: ${values.incoming}${current ? ` (now ${current.nextIncomingSeqNum})` : ''} — ${name} must send this MsgSeqNum next.`);
  }
  if (values.outgoing !== undefined) {
    lines.push(`Next outgoing sequence number: ${values.outgoing}${current ? ` (now ${current.nextOutgoingSeqNum})` : ''} — the desk's next message to ${name} carries it.`);
  }
  return lines;
}
