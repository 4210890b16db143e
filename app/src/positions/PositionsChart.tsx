import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import { fixed, fixedText, PLACES } from '../format/fixed-point';
import { positionBook } from './position-book';
import { exposureBy } from './position-groups';

/** How often the P&L line takes a point, and how many it keeps (an hour). */
const SAMPLE_MS = 1_000;
const POINTS_KEPT = 3_600;

/** The fund's P&L in its base currency now (exact sum, as a number only for the chart's scale). */
export function fundPnl(fund: string): number | undefined {
  let total = 0n;
  let any = false;
  for (const r of positionBook.all()) {
    if (r.fund !== fund) continue;
    const v = fixed(r.pnlBase);
    if (v !== undefined) {
      total += v;
      any = true;
    }
  }
  return any ? Number(fixedText(total, PLACES)) : undefined;
}

/**
 * The fund's intraday P&L over time (uPlot: a canvas chart made for streaming data, a point a second)
 * and its gross exposure by asset class and by currency (bars), both redrawn on a timer, never per quote.
 */
export function PositionsChart({ fund }: { fund: string }) {
  const pnlRef = useRef<HTMLDivElement>(null);
  const exposureRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const pnlHost = pnlRef.current;
    const exposureHost = exposureRef.current;
    if (pnlHost === null || exposureHost === null || fund === '') return;
    const times: number[] = [];
    const values: Array<number | null> = [];
    const width = Math.max(200, pnlHost.clientWidth);
    const pnl = new uPlot(
      {
        title: `${fund}: P&L today`,
        width,
        height: 150,
        series: [{}, { label: 'P&L (base)', stroke: '#4fa3ff', width: 1.5 }],
        axes: [{ stroke: '#9aa4b2' }, { stroke: '#9aa4b2', size: 70 }],
        legend: { show: false },
      },
      [times, values],
      pnlHost,
    );
    let labels: string[] = [];
    const bars = uPlot.paths.bars?.({ size: [0.6, 60] });
    const exposure = new uPlot(
      {
        title: 'Gross exposure (base) by class | currency',
        width,
        height: 150,
        scales: { x: { time: false } },
        series: [{}, { label: 'Gross exposure', fill: '#4fa3ff88', stroke: '#4fa3ff', ...(bars !== undefined && { paths: bars }), points: { show: false } }],
        axes: [{ stroke: '#9aa4b2', values: (_u, splits) => splits.map((s) => labels[s] ?? '') }, { stroke: '#9aa4b2', size: 70 }],
        legend: { show: false },
      },
      [[], []],
      exposureHost,
    );
    const draw = () => {
      const now = Date.now() / 1000;
      times.push(now);
      values.push(fundPnl(fund) ?? null);
      if (times.length > POINTS_KEPT) {
        times.shift();
        values.shift();
      }
      pnl.setData([times, values]);
      const rows = positionBook.all().filter((r) => r.fund === fund);
      const byClass = exposureBy(rows, 'assetClass');
      const byCurrency = exposureBy(rows, 'exposureCurrency');
      labels = [...byClass.map((b) => b.label), ...byCurrency.map((b) => b.label)];
      exposure.setData([labels.map((_, i) => i), [...byClass, ...byCurrency].map((b) => b.value)]);
    };
    draw();
    const timer = setInterval(draw, SAMPLE_MS);
    return () => {
      clearInterval(timer);
      pnl.destroy();
      exposure.destroy();
    };
  }, [fund]);
  return (
    <div className="positions-charts" aria-label={`Charts of ${fund}`}>
      <div ref={pnlRef} className="positions-chart" />
      <div ref={exposureRef} className="positions-chart" />
    </div>
  );
}
