// Writes electron/core/fix/dictionary/fix-groups.json from jspurefix's FIX dictionaries (a devDependency): `npx tsx scripts/generate-fix-groups.ts`.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fixGroupsFromJspurefix } from '../electron/core/fix/dictionary/jspurefix-dictionary.test-support';

const out = resolve(import.meta.dirname, '../electron/core/fix/dictionary/fix-groups.json');
writeFileSync(out, `${JSON.stringify(await fixGroupsFromJspurefix())}\n`);
console.log(`wrote ${out}`);
