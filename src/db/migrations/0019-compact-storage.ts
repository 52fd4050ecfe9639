// Less disk per message (about 7 KB → 3.5 KB on SQLite at a million): the search tokens are kept once, in the engine's
// index only where the engine allows it (SQLite: a contentless FTS5 table without positions, which AND queries do not
// need; message_search keeps the normalised text for the substring check), and the case history stores each event's
// hash once, as 32 bytes (the previous hash is the previous event's, so it is not stored again).
// Frozen: change the schema in a new migration.
import type { Kysely } from 'kysely';
import { binaryEventHashes, compactSearchStorage, hexEventHashes, restoreSearchStorage } from '../dialect.ts';

const CJK_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2ebef}]+|[a-z0-9]+/gu;
const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2ebef}]/u;

/** The tokens of normalised text as search/tokenize.ts made them when this migration was written (for down()). */
function tokensOf(text: string): string {
  const out = new Set<string>();
  for (const run of text.match(CJK_RUN) ?? []) {
    if (!CJK.test(run)) {
      out.add(run);
      continue;
    }
    const chars = [...run];
    for (let i = 0; i < chars.length; i++) {
      out.add(chars[i]!);
      if (i + 1 < chars.length) out.add(chars[i]! + chars[i + 1]!);
    }
  }
  return [...out].join(' ');
}

export async function up(db: Kysely<any>): Promise<void> {
  await compactSearchStorage(db);
  await binaryEventHashes(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await hexEventHashes(db);
  await restoreSearchStorage(db, tokensOf);
}
