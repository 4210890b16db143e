import type { AlertView } from '../../../shared/contract/views';

export interface AlertCounts {
  readonly errors: number;
  readonly warnings: number;
  /** Arrived after the person last opened the alert list. */
  readonly unseenErrors: number;
  readonly unseenWarnings: number;
}

/**
 * Counts the warnings and errors among the kept alerts not yet acknowledged, and those after `seenThroughId` (the newest
 * alert when the list was last opened). An id no longer kept means everything kept is new.
 */
export function countAlerts(alerts: readonly AlertView[], seenThroughId: string | null): AlertCounts {
  const seenIndex = seenThroughId === null ? -1 : alerts.findIndex((a) => a.id === seenThroughId);
  let errors = 0;
  let warnings = 0;
  let unseenErrors = 0;
  let unseenWarnings = 0;
  alerts.forEach((alert, index) => {
    if (alert.acknowledged !== undefined) return; // a person has seen to it
    const unseen = index > seenIndex;
    if (alert.level === 'error') {
      errors++;
      if (unseen) unseenErrors++;
    } else if (alert.level === 'warning') {
      warnings++;
      if (unseen) unseenWarnings++;
    }
  });
  return { errors, warnings, unseenErrors, unseenWarnings };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "2 errors, 1 warning (1 new)": the button's accessible name and tooltip. */
export function alertCountsText(c: AlertCounts): string {
  const parts = [c.errors > 0 && plural(c.errors, 'error'), c.warnings > 0 && plural(c.warnings, 'warning')].filter(Boolean);
  if (parts.length === 0) return 'No warnings or errors';
  const unseen = c.unseenErrors + c.unseenWarnings;
  return `${parts.join(', ')}${unseen > 0 ? ` (${unseen} new)` : ''}`;
}
