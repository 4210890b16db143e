import { describe, expect, it } from 'vitest';
import { blotterShortcut, globalShortcut, orderShortcut } from './shortcuts';

const key = (k: string, mods: Partial<{ shiftKey: boolean; ctrlKey: boolean; altKey: boolean; metaKey: boolean }> = {}) => ({
  key: k,
  shiftKey: false,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  ...mods,
});

describe('shortcuts', () => {
  it('maps global keys', () => {
    expect(globalShortcut(key('F2'), true)).toBe('focusTicket');
    expect(globalShortcut(key('F3'), false)).toBe('focusOrders');
    expect(globalShortcut(key('F3', { shiftKey: true }), false)).toBe('focusExecutions');
    expect(globalShortcut(key('w'), false)).toBe('focusWatch');
    expect(globalShortcut(key('w'), true)).toBeNull();
    expect(globalShortcut(key('F9'), true)).toBe('sellTicket');
    expect(globalShortcut(key('F2', { ctrlKey: true }), false)).toBeNull();
  });
  it('opens the kill switch with Shift+K and the risk limits with K, not while typing', () => {
    expect(globalShortcut(key('K', { shiftKey: true }), false)).toBe('killSwitch');
    expect(globalShortcut(key('K', { shiftKey: true }), true)).toBeNull();
    expect(globalShortcut(key('k'), false)).toBe('riskLimits');
    expect(globalShortcut(key('k'), true)).toBeNull();
  });
  it('lets ? be typed in fields', () => {
    expect(globalShortcut(key('?', { shiftKey: true }), false)).toBe('help');
    expect(globalShortcut(key('?', { shiftKey: true }), true)).toBeNull();
  });
  it('opens the session monitor with S, not while typing', () => {
    expect(globalShortcut(key('s'), false)).toBe('sessionMonitor');
    expect(globalShortcut(key('s'), true)).toBeNull();
    expect(globalShortcut(key('s', { ctrlKey: true }), false)).toBeNull();
  });
  it('maps blotter keys', () => {
    expect(orderShortcut(key('a'))).toBe('amend');
    expect(orderShortcut(key('F4'))).toBe('amend');
    expect(orderShortcut(key('Delete'))).toBe('cancel');
    expect(orderShortcut(key('Delete', { shiftKey: true }))).toBe('cancelSelected');
    expect(orderShortcut(key('F10', { shiftKey: true }))).toBe('contextMenu');
    expect(orderShortcut(key('a', { ctrlKey: true }))).toBeNull();
    expect(orderShortcut(key('x'))).toBeNull();
  });
  it('opens the history with Enter or H, but not with modifiers', () => {
    expect(orderShortcut(key('Enter'))).toBe('history');
    expect(orderShortcut(key('h'))).toBe('history');
    expect(orderShortcut(key('H'))).toBe('history');
    expect(orderShortcut(key('Enter', { shiftKey: true }))).toBeNull();
    expect(orderShortcut(key('h', { ctrlKey: true }))).toBeNull();
  });
  it('re-tickets with R, reverses with Shift+R, copies with Ctrl+C, switches views with 1–5', () => {
    expect(orderShortcut(key('r'))).toBe('reticket');
    expect(orderShortcut(key('R', { shiftKey: true }))).toBe('reverse');
    expect(orderShortcut(key('r', { ctrlKey: true }))).toBeNull();
    expect(orderShortcut(key('c', { ctrlKey: true }))).toBe('copyRows');
    expect(orderShortcut(key('c', { metaKey: true }))).toBe('copyRows');
    expect(orderShortcut(key('1'))).toEqual({ view: 0 });
    expect(orderShortcut(key('5'))).toEqual({ view: 4 });
    expect(orderShortcut(key('6'))).toBeNull();
    expect(orderShortcut(key('e'))).toBe('exportCsv');
    expect(blotterShortcut(key('c'))).toBe('columns');
    expect(blotterShortcut(key('c', { shiftKey: true }))).toBeNull();
  });
  it('focuses the quick filter with / and opens layouts with L, not while typing', () => {
    expect(globalShortcut(key('/'), false)).toBe('quickFilter');
    expect(globalShortcut(key('/'), true)).toBeNull();
    expect(globalShortcut(key('l'), false)).toBe('layouts');
    expect(globalShortcut(key('l'), true)).toBeNull();
  });
});
