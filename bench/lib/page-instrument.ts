/**
 * The page side of the blotter benchmark, as plain JavaScript text injected before the page's own
 * scripts (Playwright addInitScript; the bench's tsconfig has no DOM types, and the page runs no
 * bench code otherwise). `window.__bench.phase` says what the figures belong to: 'load' from the
 * navigation until the bench sees all orders shown, then 'settle', then 'live' while the firehose
 * streams (the budgets), then 'done'. It records:
 *  - frames: the time between successive requestAnimationFrame callbacks, per phase;
 *  - longTasks: PerformanceObserver 'longtask' durations, per phase (longTaskStarts: when each began, ms into its phase);
 *  - seen (live): for each probe order, when its Cum qty cell changed in the DOM (MutationObserver)
 *    and when the first frame to show it was done: a message posted during a frame's
 *    requestAnimationFrame callbacks runs after that frame is produced ("painted"). A change made in
 *    the page's own requestAnimationFrame callback (the grids apply their rows there) is in that
 *    frame; a change made in any other task is in the next one;
 *  - wsProbes (live): when the WebSocket message carrying a probe row arrived, and the row's updatedAt
 *    (found by string search: the page parses each message once, itself);
 *  - wsMessages / wsBytes per phase.
 *  - with position probes (row id → order id: a position made of that order's fills alone), a change
 *    of the probe position's Quantity cell counts in \`seen\` as its order's CumQty, and the WebSocket
 *    message carrying it in wsPositions (no updatedAt: positions are valued, not journaled).
 *  - quoteSeen (live): for each quote probe instrument (a market-watch row), when its Last cell changed
 *    and when the frame showing it was done, the same way; wsQuotes: when the WebSocket message with
 *    its quote arrived, and the quote's updatedAt (the desk's clock when the update reached it).
 * All times are wall-clock ms (performance.timeOrigin + performance.now()), comparable across processes.
 */
export function pageInstrumentScript(probeIds: readonly string[], quoteProbeIds: readonly string[] = [], positionProbes: Readonly<Record<string, string>> = {}): string {
  return `(() => {
  const probeIds = ${JSON.stringify(probeIds)};
  const positionProbes = new Map(Object.entries(${JSON.stringify(positionProbes)}));
  const positionMarkers = [...positionProbes].map(([rowId, orderId]) => ({ orderId, needle: '"key":"' + rowId + '"' }));
  const quoteProbes = new Set(${JSON.stringify(quoteProbeIds)});
  const now = () => performance.timeOrigin + performance.now();
  const probes = new Set(probeIds);
  const phases = ['load', 'settle', 'live', 'done'];
  const perPhase = (make) => Object.fromEntries(phases.map((p) => [p, make()]));
  const state = { phase: 'load', frames: perPhase(() => []), longTasks: perPhase(() => []), longTaskStarts: perPhase(() => []), seen: [], quoteSeen: [], wsProbes: [], wsQuotes: [], wsPositions: [], wsMessages: perPhase(() => 0), wsBytes: perPhase(() => 0) };
  const quoteMarkers = [...quoteProbes].map((id) => ({ id, needle: '"instrumentId":"' + id + '"' }));
  window.__bench = state;

  // When each phase began (wall clock); a long task counts in the phase it started in (entries arrive late).
  const began = { load: performance.timeOrigin };
  const phaseAt = (t) => {
    let found = 'load';
    for (const p of phases) if (began[p] !== undefined && t >= began[p]) found = p;
    return found;
  };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const at = performance.timeOrigin + e.startTime;
      const phase = phaseAt(at);
      state.longTasks[phase].push(e.duration);
      state.longTaskStarts[phase].push(Math.round(at - began[phase]));
    }
  }).observe({ type: 'longtask', buffered: true });

  // The page's requestAnimationFrame callbacks run with inAnimationFrame set, until the microtasks
  // they queued (a MutationObserver's delivery among them) have run.
  const nativeRequestAnimationFrame = window.requestAnimationFrame.bind(window);
  let inAnimationFrame = false;
  window.requestAnimationFrame = (callback) =>
    nativeRequestAnimationFrame((t) => {
      inAnimationFrame = true;
      try {
        callback(t);
      } finally {
        queueMicrotask(() => { inAnimationFrame = false; });
      }
    });

  let last = 0;
  const frame = (t) => {
    if (last > 0) state.frames[state.phase].push(t - last);
    last = t;
    nativeRequestAnimationFrame(frame);
  };
  nativeRequestAnimationFrame(frame);

  const markers = probeIds.map((id) => ({ id, needle: '"orderId":"' + id + '"' }));
  const Native = window.WebSocket;
  class Observed extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      this.addEventListener('message', (event) => {
        if (typeof event.data !== 'string') return;
        const at = now();
        const data = event.data;
        state.wsMessages[state.phase]++;
        state.wsBytes[state.phase] += data.length;
        if (state.phase === 'live' && quoteMarkers.length > 0 && data.startsWith('{"kind":"stream","message":{"kind":"quotes"')) {
          for (const m of quoteMarkers) {
            const i = data.indexOf(m.needle);
            if (i < 0) continue;
            const slice = data.slice(data.lastIndexOf('{', i), data.indexOf('}', i));
            const last = /"last":"([^"]+)"/.exec(slice);
            const updatedAt = /"updatedAt":"([^"]+)"/.exec(slice);
            if (last && updatedAt) state.wsQuotes.push({ instrumentId: m.id, last: last[1], wsAt: at, updatedAt: updatedAt[1] });
          }
          return;
        }
        if (state.phase === 'live' && positionMarkers.length > 0 && data.startsWith('{"kind":"stream","message":{"kind":"positions"')) {
          for (const m of positionMarkers) {
            const i = data.indexOf(m.needle);
            if (i < 0) continue;
            const quantity = /"quantity":"-?(\\d+)"/.exec(data.slice(i, data.indexOf('}', i)));
            if (quantity) state.wsPositions.push({ orderId: m.orderId, cum: Number(quantity[1]), wsAt: at });
          }
          return;
        }
        if (state.phase !== 'live' || !data.startsWith('{"kind":"stream","message":{"kind":"orders"')) return;
        for (const m of markers) {
          const i = data.indexOf(m.needle);
          if (i < 0) continue;
          const end = data.indexOf('}', data.indexOf('"version"', i));
          const slice = data.slice(i, end);
          const cum = /"cumQty":"(\\d+)"/.exec(slice);
          const updatedAt = /"updatedAt":"([^"]+)"/.exec(slice);
          if (cum && updatedAt) state.wsProbes.push({ orderId: m.id, cum: Number(cum[1]), wsAt: at, updatedAt: updatedAt[1] });
        }
      });
    }
  }
  window.WebSocket = Observed;
  /** Called by the bench to switch the phase. */
  state.setPhase = (phase) => {
    began[phase] = now();
    state.phase = phase;
  };

  const observer = new MutationObserver((mutations) => {
    if (state.phase !== 'live') return;
    const at = now();
    const touched = new Set();
    const quotes = new Set();
    const positions = new Set();
    for (const m of mutations) {
      const node = m.target instanceof Element ? m.target : m.target.parentElement;
      const cell = node && node.closest('[col-id="cumQty"]');
      if (cell) touched.add(cell);
      const quantity = positionProbes.size > 0 && node && node.closest('.positions-grid [col-id="quantity"]');
      if (quantity) positions.add(quantity);
      const last = quoteProbes.size > 0 && node && node.closest('.market-watch [col-id="last"]');
      if (last) quotes.add(last);
    }
    for (const cell of quotes) {
      const row = cell.closest('[row-id]');
      const rowId = row && row.getAttribute('row-id');
      if (!rowId || !quoteProbes.has(rowId)) continue;
      const seen = { instrumentId: rowId, last: (cell.textContent || '').replace(/,/g, ''), mutatedAt: at, inFrame: inAnimationFrame };
      state.quoteSeen.push(seen);
      afterPaint(seen);
    }
    for (const cell of positions) {
      const row = cell.closest('[row-id]');
      const orderId = row && positionProbes.get(row.getAttribute('row-id'));
      if (!orderId) continue;
      // The position of one order filled one at a time: its quantity is the order's CumQty (a sell's negative).
      const seen = { orderId, cum: Number((cell.textContent || '').replace(/[^0-9]/g, '')), mutatedAt: at, inFrame: inAnimationFrame };
      state.seen.push(seen);
      afterPaint(seen);
    }
    for (const cell of touched) {
      const row = cell.closest('[row-id]');
      const rowId = row && row.getAttribute('row-id');
      if (!rowId || !probes.has(rowId)) continue;
      const seen = { orderId: rowId, cum: Number((cell.textContent || '').replace(/[^0-9]/g, '')), mutatedAt: at, inFrame: inAnimationFrame };
      state.seen.push(seen);
      afterPaint(seen);
    }
  });
  function afterPaint(seen) {
    // A message posted during a frame's requestAnimationFrame callbacks runs once that frame has been
    // produced. A change made in those callbacks is in this frame: post now. A change made in any
    // other task shows in the next frame: post from its requestAnimationFrame callback.
    const afterFrame = () => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => { seen.paintedAt = now(); };
      channel.port2.postMessage(0);
    };
    if (seen.inFrame) afterFrame();
    else nativeRequestAnimationFrame(afterFrame);
  }
  const start = () => observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  if (document.body) start(); else document.addEventListener('DOMContentLoaded', start);
})();`;
}
