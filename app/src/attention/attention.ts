import type { AttentionEvent, AttentionSettings } from '../../../shared/contract/workspace';
import type { DeskState } from '../store/desk-store';
import { deskStore } from '../store/desk-store';
import { onOrderChange } from '../store/order-changes';
import type { AttentionNotice } from './attention-events';
import { alertNotice, orderNotices } from './attention-events';

/**
 * Sounds and desktop notifications for fills, rejects, unsolicited cancels and alerts, per event type
 * as the person set them (all off by default), in the main window only (a popped-out window would
 * repeat them). At trading speed they are paced: one sound per type per SOUND_GAP_MS, one notification
 * per type per NOTIFY_GAP_MS saying how many happened since the last.
 */
const SOUND_GAP_MS = 400;
const NOTIFY_GAP_MS = 3_000;

const TONES: Readonly<Record<AttentionEvent, ReadonlyArray<readonly [frequency: number, ms: number]>>> = {
  fill: [
    [880, 70],
    [1320, 90],
  ],
  reject: [[220, 260]],
  cancel: [
    [660, 90],
    [440, 120],
  ],
  alert: [
    [990, 70],
    [990, 70],
    [990, 70],
  ],
};

let audio: AudioContext | undefined;

/** Plays an event's tone (a few beeps, generated: no sound files). */
export function playTone(type: AttentionEvent): void {
  try {
    audio ??= new AudioContext();
    if (audio.state === 'suspended') void audio.resume();
    let at = audio.currentTime;
    for (const [frequency, ms] of TONES[type]) {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.2, at + 0.01);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + ms / 1000);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(at);
      oscillator.stop(at + ms / 1000 + 0.02);
      at += ms / 1000 + 0.04;
    }
  } catch {
    // No audio device: nothing to play.
  }
}

/** Asks for permission to show desktop notifications (from a click: browsers require a gesture). */
export async function allowNotifications(): Promise<boolean> {
  if (typeof Notification === 'undefined') return false;
  if (Notification.permission === 'granted') return true;
  if (Notification.permission === 'denied') return false;
  return (await Notification.requestPermission()) === 'granted';
}

interface Pace {
  lastSound: number;
  lastNotice: number;
  unnotified: AttentionNotice[];
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** Starts listening to the store; returns the function that stops. */
export function startAttention(now: () => number = () => performance.now()): () => void {
  const paces = new Map<AttentionEvent, Pace>();
  const pace = (type: AttentionEvent): Pace => {
    let p = paces.get(type);
    if (p === undefined) paces.set(type, (p = { lastSound: Number.NEGATIVE_INFINITY, lastNotice: Number.NEGATIVE_INFINITY, unnotified: [], timer: undefined }));
    return p;
  };
  const settings = (): AttentionSettings => deskStore.getState().workspace.doc.attention;

  const notify = (type: AttentionEvent): void => {
    const p = pace(type);
    p.timer = undefined;
    const notices = p.unnotified;
    p.unnotified = [];
    if (notices.length === 0 || typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    p.lastNotice = now();
    const last = notices[notices.length - 1]!;
    const title = notices.length === 1 ? last.title : `${notices.length} ${type === 'fill' ? 'fills' : type === 'reject' ? 'rejects' : type === 'cancel' ? 'cancels by the broker' : 'alerts'}: latest ${last.title}`;
    try {
      new Notification(title, { body: last.body, tag: `meridian-${type}`, silent: true });
    } catch {
      // Notifications unavailable here: the sound and the screens still say it.
    }
  };

  const handle = (notice: AttentionNotice): void => {
    const wanted = settings();
    const p = pace(notice.type);
    const t = now();
    if (wanted.sounds[notice.type] && t - p.lastSound >= SOUND_GAP_MS) {
      p.lastSound = t;
      playTone(notice.type);
    }
    if (wanted.notifications[notice.type]) {
      p.unnotified.push(notice);
      if (p.timer === undefined) p.timer = setTimeout(() => notify(notice.type), Math.max(0, p.lastNotice + NOTIFY_GAP_MS - t));
    }
  };

  const anyOn = (): boolean => {
    const { sounds, notifications } = settings();
    return Object.values(sounds).some(Boolean) || Object.values(notifications).some(Boolean);
  };

  const stopOrders = onOrderChange((change, before) => {
    if (change === 'all' || !anyOn()) return;
    change.forEach((after, orderId) => {
      for (const notice of orderNotices(before.get(orderId), after)) handle(notice);
    });
  });
  let alerts = deskStore.getState().data.alerts;
  let loaded = deskStore.getState().data.loaded;
  const stopAlerts = deskStore.subscribe((state: DeskState) => {
    if (state.data.alerts === alerts) return;
    const seen = new Set(alerts.map((a) => a.id));
    // The first snapshot's alerts happened before this window opened: not news.
    const first = !loaded;
    loaded = state.data.loaded;
    alerts = state.data.alerts;
    if (first || !anyOn()) return;
    for (const alert of state.data.alerts) {
      if (seen.has(alert.id)) continue;
      const notice = alertNotice(alert);
      if (notice !== undefined) handle(notice);
    }
  });
  return () => {
    stopOrders();
    stopAlerts();
    for (const p of paces.values()) if (p.timer !== undefined) clearTimeout(p.timer);
  };
}
