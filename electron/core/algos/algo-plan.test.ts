import { describe, expect, it } from 'vitest';
import { Dec } from '../decimal/decimal';
import { withChild } from './algo-parent';
import { decide } from './algo-decision';
import { icebergDisplay, plannedQty, scheduledQty, slicePlan } from './algo-plan';
import { child, iso, minutes, parent, t0 } from './algo.test-support';
import { parseVolumeProfiles, profileFor, uShapedProfile } from './volume-profile';

const quote = { bid: new Dec('99.99'), ask: new Dec('100.01'), last: new Dec('100'), volume: new Dec('50000') };

describe('TWAP', () => {
  it('cuts equal slices at absolute times from the start', () => {
    const p = parent();
    const plan = slicePlan(p);
    expect(plan.times).toEqual(Array.from({ length: 10 }, (_, i) => minutes(i)));
    expect([0, 1, 2, 9, 10].map((k) => plannedQty(p, plan, k).toString())).toEqual(['0', '100', '200', '900', '1000']);
    expect(scheduledQty(p, minutes(0)).toString()).toBe('100');
    expect(scheduledQty(p, minutes(2.5)).toString()).toBe('300');
  });

  it('rounds slices down to whole lots and gives the last slice the rest', () => {
    const p = parent({ quantity: '1050', slices: 4 }, { lotSize: '100' });
    const plan = slicePlan(p);
    expect([1, 2, 3, 4].map((k) => plannedQty(p, plan, k).toString())).toEqual(['200', '500', '700', '1050']);
  });

  it('randomises sizes and times within their bounds, the same for the same seed', () => {
    const p = parent({ sizeVariancePct: 20, timeVariancePct: 30, quantity: '10000', slices: 20 }, { seed: 7 });
    const plan = slicePlan(p);
    const interval = 30_000;
    plan.times.forEach((t, i) => expect(Math.abs(t - (t0 + i * interval))).toBeLessThanOrEqual(0.3 * interval));
    expect(plan.times.some((t, i) => t !== t0 + i * interval)).toBe(true);
    const sizes = plan.cumulative.map((c, i) => c - (plan.cumulative[i - 1] ?? 0));
    for (const s of sizes) expect(Math.abs(s - 1000)).toBeLessThanOrEqual(200);
    expect(new Set(sizes).size).toBeGreaterThan(1);
    expect(slicePlan(parent({ sizeVariancePct: 20, timeVariancePct: 30, quantity: '10000', slices: 20 }, { seed: 7 }))).toEqual(plan);
    expect(slicePlan(parent({ sizeVariancePct: 20, timeVariancePct: 30, quantity: '10000', slices: 20 }, { seed: 8 }))).not.toEqual(plan);
    expect(plannedQty(p, plan, 20).toString()).toBe('10000');
  });

  it('catches up a shortfall in one child, or moves on one slice at a time without catch-up', () => {
    const behind = decide(parent(), { nowMs: minutes(3), market: quote, brokerUp: true });
    expect(behind.actions).toEqual([{ kind: 'send', quantity: new Dec(400), limitPrice: new Dec('100.01'), scheduledAt: minutes(3) }]);
    expect(behind.wakeAt).toBe(minutes(4));
    const noCatchUp = decide(parent({ catchUp: false }), { nowMs: minutes(3), market: quote, brokerUp: true });
    expect(noCatchUp.actions).toEqual([{ kind: 'send', quantity: new Dec(100), limitPrice: new Dec('100.01'), scheduledAt: minutes(3) }]);
  });

  it('sends only what the schedule wants beyond filled and working', () => {
    const p = withChild(parent(), child('C1', '200', '150'), iso(minutes(1)));
    const d = decide(p, { nowMs: minutes(2), market: quote, brokerUp: true });
    expect(d.actions).toEqual([{ kind: 'send', quantity: new Dec(100), limitPrice: new Dec('100.01'), scheduledAt: minutes(2) }]);
  });

  it('respects min and max child size, the limit and the child style', () => {
    expect(decide(parent({ maxChildQty: '50' }), { nowMs: minutes(3), market: quote, brokerUp: true }).actions[0]).toMatchObject({ quantity: new Dec(50) });
    expect(decide(parent({ minChildQty: '150' }), { nowMs: minutes(0), market: quote, brokerUp: true }).actions).toEqual([]);
    expect(decide(parent({ childStyle: 'passive' }), { nowMs: minutes(0), market: quote, brokerUp: true }).actions[0]).toMatchObject({ limitPrice: new Dec('99.99') });
    expect(decide(parent({ childStyle: 'aggressive' }), { nowMs: minutes(0), market: quote, brokerUp: true }).actions[0]).toMatchObject({ limitPrice: new Dec('100.02') });
    expect(decide(parent({ childStyle: 'aggressive', limitPrice: '100' }), { nowMs: minutes(0), market: quote, brokerUp: true }).actions[0]).toMatchObject({ limitPrice: new Dec('100') });
    const sell = decide(parent({ side: 'sell', childStyle: 'aggressive' }), { nowMs: minutes(0), market: quote, brokerUp: true });
    expect(sell.actions[0]).toMatchObject({ limitPrice: new Dec('99.98') });
  });

  it('sends the rest at once when the far touch reaches the would-price', () => {
    const d = decide(parent({ wouldPrice: '100.05', childStyle: 'passive' }), { nowMs: minutes(0), market: quote, brokerUp: true });
    expect(d.actions[0]).toMatchObject({ quantity: new Dec(1000), limitPrice: new Dec('100.01') });
  });

  it('ends at the end time; cancels the rest or leaves it working', () => {
    const p = withChild(parent(), child('C1', '100'), iso(minutes(9)));
    expect(decide(p, { nowMs: minutes(10), market: quote, brokerUp: true }).actions).toEqual([{ kind: 'end' }]);
    const ending = { ...p, status: 'ending' as const };
    expect(decide(ending, { nowMs: minutes(10), market: quote, brokerUp: true }).actions).toEqual([{ kind: 'cancelChild', orderId: 'C1' }]);
    const leave = { ...ending, params: { ...ending.params, atEnd: 'leaveWorking' as const } };
    expect(decide(leave, { nowMs: minutes(10), market: quote, brokerUp: true }).actions).toEqual([]);
  });

  it('waits for the start, for a broker that is down, and for children in doubt', () => {
    const later = parent({ startTime: iso(minutes(5)) });
    expect(decide(later, { nowMs: minutes(1), market: quote, brokerUp: true })).toEqual({ actions: [], wakeAt: minutes(5) });
    expect(decide(parent(), { nowMs: minutes(1), market: quote, brokerUp: false })).toEqual({ actions: [], wakeAt: minutes(1) + 1_000 });
    const doubt = withChild(parent(), child('C1', '100', '0', '100', { uncertain: true }), iso(minutes(1)));
    expect(decide(doubt, { nowMs: minutes(3), market: quote, brokerUp: true }).actions).toEqual([]);
  });
});

describe('VWAP', () => {
  it('follows the U-shaped default profile: heavier at the open and the close', () => {
    const profile = uShapedProfile(10);
    expect(profile[0]).toBeGreaterThan(profile[4] as number);
    expect(profile[9]).toBeGreaterThan(profile[5] as number);
    const p = parent({ strategy: 'vwap' }, { profile });
    const plan = slicePlan(p);
    const sizes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((k) => Number(plannedQty(p, plan, k).minus(plannedQty(p, plan, k - 1)).toString()));
    expect(sizes[0]).toBeGreaterThan(sizes[4] as number);
    expect(sizes[9]).toBeGreaterThan(sizes[5] as number);
    expect(plannedQty(p, plan, 10).toString()).toBe('1000');
  });

  it('takes an instrument profile from a file, resampled to the slices', () => {
    const parsed = parseVolumeProfiles('{"AAPL.XNAS":[1,1,2,4]}');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(profileFor(parsed.profiles, 'AAPL.XNAS', 4)).toEqual([500, 500, 1000, 2000]);
    expect(profileFor(parsed.profiles, 'MSFT.XNAS', 4)).toEqual(uShapedProfile(4));
    expect(parseVolumeProfiles('{"AAPL.XNAS":[0,0]}')).toMatchObject({ ok: false });
    expect(parseVolumeProfiles('{"AAPL.XNAS":[1,-1]}')).toMatchObject({ ok: false });
    expect(parseVolumeProfiles('nope')).toMatchObject({ ok: false });
  });
});

describe('POV', () => {
  const pov = () => parent({ strategy: 'pov', slices: undefined, targetRatePct: 10, minRatePct: 5, maxRatePct: 20 }, { arrivalVolume: '50000' });

  it('targets its share of the market volume since the start, looking every second', () => {
    const d = decide(pov(), { nowMs: minutes(1), market: { ...quote, volume: new Dec('53000') }, brokerUp: true });
    // Nothing done yet is below the min rate: this first child goes a tick through the touch.
    expect(d.actions).toEqual([{ kind: 'send', quantity: new Dec(300), limitPrice: new Dec('100.02'), scheduledAt: minutes(1) }]);
    expect(d.wakeAt).toBe(minutes(1) + 1_000);
    expect(scheduledQty(pov(), minutes(1), new Dec('60000')).toString()).toBe('1000');
    expect(scheduledQty(pov(), minutes(1), new Dec('90000')).toString()).toBe('1000');
  });

  it('goes aggressive below its min rate and never beyond its max rate', () => {
    const behind = withChild(pov(), child('C1', '100', '100'), iso(minutes(1)));
    const d = decide(behind, { nowMs: minutes(2), market: { ...quote, volume: new Dec('54000') }, brokerUp: true });
    expect(d.actions[0]).toMatchObject({ quantity: new Dec(300), limitPrice: new Dec('100.02') });
  });
});

describe('iceberg', () => {
  const ice = (variance = 0) => parent({ strategy: 'iceberg', slices: undefined, displayQty: '100', displayVariancePct: variance, limitPrice: '100.5', childStyle: 'passive' });

  it('shows the display quantity, and the next once the shown one is done', () => {
    const d = decide(ice(), { nowMs: minutes(0), market: quote, brokerUp: true });
    expect(d.actions).toEqual([{ kind: 'send', quantity: new Dec(100), limitPrice: new Dec('99.99'), scheduledAt: minutes(0) }]);
    const working = withChild(ice(), child('C1', '100', '40'), iso(minutes(1)));
    expect(decide(working, { nowMs: minutes(1), market: quote, brokerUp: true }).actions).toEqual([]);
    const filled = withChild(working, child('C1', '100', '100'), iso(minutes(2)));
    expect(decide(filled, { nowMs: minutes(2), market: quote, brokerUp: true }).actions[0]).toMatchObject({ quantity: new Dec(100) });
  });

  it('varies the display within its bounds, seeded', () => {
    let p = ice(30);
    const shown: number[] = [];
    for (let i = 0; i < 8; i++) {
      const q = icebergDisplay(p);
      shown.push(Number(q.toString()));
      p = withChild(p, child(`C${i}`, q.toString(), q.toString()), iso(minutes(i)));
    }
    for (const s of shown) expect(Math.abs(s - 100)).toBeLessThanOrEqual(30);
    expect(new Set(shown).size).toBeGreaterThan(1);
  });
});
