// `npm run bench`: the benchmark suite (issue 5 fills it). Prints a table and writes JSON.
import { mkdirSync, writeFileSync } from 'node:fs';

const results: Array<{ name: string; value: number; unit: string }> = [];
console.table(results);
mkdirSync('.bench', { recursive: true });
writeFileSync('.bench/results.json', JSON.stringify({ at: new Date().toISOString(), results }, null, 2));
console.log('no benchmarks yet: wrote .bench/results.json');
