import { describe, expect, it } from 'vitest';
import type { AlertView } from '../../../shared/contract/views';
import { alertCountsText, countAlerts } from './alert-counts';

const alert = (id: string, level: AlertView['level']): AlertView => ({ id, level, message: id, at: '2026-11-27T10:00:00.000Z' });
const alerts = [alert('a', 'error'), alert('b', 'info'), alert('c', 'warning'), alert('d', 'error'), alert('e', 'info')];

describe('countAlerts', () => {
  it('counts errors and warnings, not notices, and all are new before the list was opened', () => {
    expect(countAlerts(alerts, null)).toEqual({ errors: 2, warnings: 1, unseenErrors: 2, unseenWarnings: 1 });
  });
  it('counts only what came after the newest alert seen as new', () => {
    expect(countAlerts(alerts, 'b')).toEqual({ errors: 2, warnings: 1, unseenErrors: 1, unseenWarnings: 1 });
    expect(countAlerts(alerts, 'e')).toEqual({ errors: 2, warnings: 1, unseenErrors: 0, unseenWarnings: 0 });
  });
  it('treats everything as new when the seen alert has been dropped from the list', () => {
    expect(countAlerts(alerts, 'gone').unseenErrors).toBe(2);
  });
  it('leaves out what a person acknowledged', () => {
    const acknowledged = { ...alert('d', 'error'), acknowledged: { by: 'jo', at: '2026-11-27T10:01:00.000Z' } };
    expect(countAlerts([alert('a', 'error'), acknowledged], null)).toEqual({ errors: 1, warnings: 0, unseenErrors: 1, unseenWarnings: 0 });
  });
});

describe('alertCountsText', () => {
  it('reads as a sentence', () => {
    expect(alertCountsText(countAlerts(alerts, 'b'))).toBe('2 errors, 1 warning (2 new)');
    expect(alertCountsText(countAlerts([alert('x', 'warning')], 'x'))).toBe('1 warning');
    expect(alertCountsText(countAlerts([], null))).toBe('No warnings or errors');
  });
});
