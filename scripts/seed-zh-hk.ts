// Writes the Hong Kong Traditional catalogues (src/i18n/catalog*.zh-HK.ts) from the Simplified ones.
//
// A key already in a zh-HK catalogue keeps its (reviewed) text; a new key is seeded from its Simplified text: first
// the words Hong Kong says differently (信息 → 資訊, 视频 → 影片, 登录 → 登入…), then the characters (OpenCC cn → hk).
// Keys no longer in the Simplified catalogue are dropped. Review what it adds: `git diff src/i18n`.
//
//   npm run i18n:zh-hk                 every catalogue
//   npm run i18n:zh-hk -- workflow     catalog-workflow.zh-HK.ts only ("main" for catalog.zh-HK.ts)
//   npm run i18n:zh-hk -- --reseed main   seed every text of a part again (forgets its reviewed texts)
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import prettier from 'prettier';
import { toHant } from '../src/i18n/hant.ts';
import { HONG_KONG_TERMS } from '../src/i18n/hong-kong-terms.ts';

const dir = fileURLToPath(new URL('../src/i18n/', import.meta.url));

export function seedHongKong(simplified: string): string {
  let text = simplified;
  for (const [pattern, replacement] of HONG_KONG_TERMS) text = text.replace(pattern, replacement);
  // Hong Kong quotes with corner brackets: “…” → 「…」, ‘…’ → 『…』.
  return toHant(text).replaceAll('“', '「').replaceAll('”', '」').replaceAll('‘', '『').replaceAll('’', '』');
}

interface Part {
  /** 'main' for catalog.zh-CN.ts, else the part name of catalog-<part>.zh-CN.ts. */
  name: string;
  file: string;
}

function parts(): Part[] {
  return readdirSync(dir)
    .map((file) => /^catalog(?:-([a-z-]+))?\.zh-CN\.ts$/.exec(file))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ name: m[1] ?? 'main', file: m[0] }));
}

const hkName = (cnName: string) => cnName.replace(/ZhCN$/, 'ZhHK').replace(/^zhCN$/, 'zhHK');

async function onlyExport(file: string): Promise<[string, Record<string, string>]> {
  const module = (await import(pathToFileURL(path.join(dir, file)).href)) as Record<string, unknown>;
  const objects = Object.entries(module).filter(([, v]) => v && typeof v === 'object') as [
    string,
    Record<string, string>,
  ][];
  if (objects.length !== 1) throw new Error(`${file}: expected one exported catalogue, found ${objects.length}`);
  return objects[0]!;
}

const literal = (s: string) => `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('\n', '\\n')}'`;

async function writePart(part: Part, all: Part[]): Promise<number> {
  const [cnName, cn] = await onlyExport(part.file);
  const hkFile = part.file.replace('.zh-CN.ts', '.zh-HK.ts');
  const existing = !reseed && existsSync(path.join(dir, hkFile)) ? (await onlyExport(hkFile))[1] : {};
  let own = Object.keys(cn);
  const lines: string[] = [];
  if (part.name === 'main') {
    // The main catalogue spreads the parts; only its own keys are written here.
    const partKeys = new Set<string>();
    for (const p of all.filter((p) => p.name !== 'main'))
      for (const k of Object.keys((await onlyExport(p.file))[1])) partKeys.add(k);
    own = own.filter((k) => !partKeys.has(k));
  }
  let added = 0;
  for (const key of own) {
    const known = existing[key];
    const text = known ?? seedHongKong(cn[key]!);
    if (known === undefined) added++;
    lines.push(`  ${literal(key)}: ${literal(text)},`);
  }
  let source: string;
  if (part.name === 'main') {
    const others = all.filter((p) => p.name !== 'main');
    const imports = await Promise.all(
      others.map(async (p) => {
        const [name] = await onlyExport(p.file);
        return { name: hkName(name), file: p.file.replace('.zh-CN.ts', '.zh-HK.ts') };
      }),
    );
    source = [
      '// Every user-facing string in Traditional Chinese as written in Hong Kong (and Macau). Seeded from the Simplified',
      '// catalogue by `npm run i18n:zh-hk` (Hong Kong terms, then OpenCC), then reviewed: edit the text here.',
      ...imports.map((i) => `import { ${i.name} } from './${i.file}';`),
      "import type { MessageKey } from './catalog.zh-CN.ts';",
      '',
      `export const zhHK: Record<MessageKey, string> = {`,
      ...lines,
      ...imports.map((i) => `  ...${i.name},`),
      '};',
      '',
    ].join('\n');
  } else {
    source = [
      `// The ${part.name} strings in Traditional Chinese as written in Hong Kong. Seeded by \`npm run i18n:zh-hk\`, then reviewed.`,
      `import type { ${cnName} } from './${part.file}';`,
      '',
      `export const ${hkName(cnName)}: Record<keyof typeof ${cnName}, string> = {`,
      ...lines,
      '};',
      '',
    ].join('\n');
  }
  const options = (await prettier.resolveConfig(path.join(dir, hkFile))) ?? {};
  writeFileSync(
    path.join(dir, hkFile),
    await prettier.format(source, { ...options, filepath: path.join(dir, hkFile) }),
  );
  console.log(`${hkFile}: ${own.length} keys, ${added} seeded`);
  return added;
}

const all = parts();
const reseed = process.argv.includes('--reseed');
const wanted = process.argv.slice(2).filter((a) => a !== '--reseed');
for (const part of all) if (wanted.length === 0 || wanted.includes(part.name)) await writePart(part, all);
