/**
 * The page side of the blotter benchmark, as plain JavaScript text injected before the page's own
 * scripts (Playwright addInitScript; the bench's tsconfig has no DOM types, and the page runs no
 * bench code otherwise). It records, only while `window.__bench.measuring` is true:
 *  - frames: the time between successive requestAnimationFrame callbacks;
 *  - longTasks: PerformanceObserver 'longtask' durations;
 *  - seen: for each probe order, when its Cum qty cell changed in the DOM (MutationObserver) and
 *    when that frame was done (a message posted from the next requestAnimationFrame callback runs
 *    after the frame is produced): "painted";
 *  - wsProbes: when the WebSocket message carrying a probe row arrived, and the row's updatedAt
 *    (found by string search: the page parses each message once, itself).
 * All times are wall-clock ms (performance.timeOrigin + performance.now()), comparable across processes.
 */
export function pageInstrumentScript(probeIds: readonly string[]): string {
  return `(() => {
  const probeIds = ${JSON.stringify(probeIds)};
  const now = () => performance.timeOrigin + performance.now();
  const probes = new Set(probeIds);
  const state = { measuring: false, frames: [], longTasks: [], seen: [], wsProbes: [], wsMessages: 0, wsBytes: 0 };
  window.__bench = state;

  new PerformanceObserver((list) => {
    if (!state.measuring) return;
    for (const e of list.getEntries()) state.longTasks.push(e.duration);
  }).observe({ type: 'longtask', buffered: false });

  let last = 0;
  const frame = (t) => {
    if (state.measuring && last > 0) state.frames.push(t - last);
    last = t;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);

  const markers = probeIds.map((id) => ({ id, needle: '"orderId":"' + id + '"' }));
  const Native = window.WebSocket;
  class Observed extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      this.addEventListener('message', (event) => {
        if (!state.measuring || typeof event.data !== 'string') return;
        const at = now();
        const data = event.data;
        state.wsMessages++;
        state.wsBytes += data.length;
        if (!data.startsWith('{"kind":"stream","message":{"kind":"orders"')) return;
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

  const observer = new MutationObserver((mutations) => {
    if (!state.measuring) return;
    const at = now();
    const touched = new Set();
    for (const m of mutations) {
      const node = m.target instanceof Element ? m.target : m.target.parentElement;
      const cell = node && node.closest('[col-id="cumQty"]');
      if (cell) touched.add(cell);
    }
    for (const cell of touched) {
      const row = cell.closest('[row-id]');
      const rowId = row && row.getAttribute('row-id');
      if (!rowId || !probes.has(rowId)) continue;
      const seen = { orderId: rowId, cum: Number((cell.textContent || '').replace(/[^0-9]/g, '')), mutatedAt: at };
      state.seen.push(seen);
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => { seen.paintedAt = now(); };
        channel.port2.postMessage(0);
      });
    }
  });
  const start = () => observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  if (document.body) start(); else document.addEventListener('DOMContentLoaded', start);
})();`;
}
