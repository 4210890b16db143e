import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import { algoHistory } from './algo-history';

/**
 * Executed against scheduled quantity over time, with the market price on its own axis: uPlot,
 * built once per parent and fed with setData as points arrive (no React render per tick).
 */
export function AlgoChart({ parentId }: { parentId: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (el === null) return undefined;
    const data = (): uPlot.AlignedData => {
      const points = algoHistory.points(parentId);
      return [points.map((p) => p.t), points.map((p) => p.executed), points.map((p) => p.scheduled), points.map((p) => p.price)];
    };
    const plot = new uPlot(
      {
        width: Math.max(320, el.clientWidth || 640),
        height: 220,
        scales: { x: { time: true }, price: { auto: true } },
        axes: [{}, { label: 'Quantity' }, { scale: 'price', side: 1, label: 'Price', grid: { show: false } }],
        series: [
          {},
          { label: 'Executed', stroke: '#2e9d5b', width: 2 },
          { label: 'Scheduled', stroke: '#8a8fa3', dash: [6, 4], width: 1.5 },
          { label: 'Market price', stroke: '#3a7bd5', scale: 'price', width: 1 },
        ],
      },
      data(),
      el,
    );
    el.dataset.points = String(algoHistory.points(parentId).length);
    const stop = algoHistory.watch(() => {
      plot.setData(data());
      el.dataset.points = String(algoHistory.points(parentId).length);
    });
    return () => {
      stop();
      plot.destroy();
    };
  }, [parentId]);
  return <div ref={host} className="algo-chart" role="img" aria-label="Executed versus scheduled quantity, with the market price" data-testid="algo-chart" />;
}
