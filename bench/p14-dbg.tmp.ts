import { measurePositionsBrowser } from './suites/positions-browser';
const r = await measurePositionsBrowser({ positions: 2000, fillsPerSecond: 500, seconds: 3, probes: 4 });
console.log(JSON.stringify(r.budgets, null, 1));
