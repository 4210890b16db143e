// Writes electron/core/fix/dictionary/fix-groups.json from jspurefix's FIX dictionaries: `npx tsx scripts/generate-fix-groups.ts`.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fixGroupsFromJspurefix } from '../electron/core/fix/dictionary/fix-groups-from-jspurefix';

const out = resolve(import.meta.dirname, '../electron/core/fix/dictionary/fix-groups.json');
writeFileSync(out, `${JSON.stringify(await fixGroupsFromJspurefix())}\n`);
console.log(`wrote ${out}`);
