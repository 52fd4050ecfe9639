// Disk per message on SQLite: every table and index (SQLite's dbstat), in bytes per message, largest first.
//
//   npx tsx bench/storage.bench.ts                   the database of DATA_DIR (./data by default)
//   npx tsx bench/storage.bench.ts path/to/liuyan.db
//   npx tsx bench/storage.bench.ts --json            one JSON object instead of the table
//
// Opens the file read-only. Bytes are whole pages (what the file takes), unused space included; "unused" says how much
// of that is free space inside the pages. Tables and indexes under 1 byte per message are summed into one line.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { json: { type: 'boolean' } } });
const file = resolve(positionals[0] ?? join(process.env.DATA_DIR ?? './data', 'liuyan.db'));
if (!existsSync(file)) {
  console.error(`没有数据库文件 ${file}（用 DATA_DIR 或路径参数指定）`);
  process.exit(1);
}

const db = new SQLite(file, { readonly: true, fileMustExist: true });
const messages = Number(db.prepare('select count(*) from messages').pluck().get());
if (messages === 0) {
  console.error(`${file} 中没有留言`);
  process.exit(1);
}
const rows = db
  .prepare(
    `select s.name as name, coalesce(m.type, 'table') as type, coalesce(m.tbl_name, s.name) as owner,
       sum(s.pgsize) as bytes, sum(s.unused) as unused
     from dbstat as s left join sqlite_master as m on m.name = s.name
     group by s.name order by bytes desc`,
  )
  .all() as { name: string; type: string; owner: string; bytes: number; unused: number }[];
const pageSize = Number(db.pragma('page_size', { simple: true }));
const pages = Number(db.pragma('page_count', { simple: true }));
db.close();

const total = rows.reduce((s, r) => s + r.bytes, 0);
const perMessage = (bytes: number) => bytes / messages;
if (values.json) {
  console.log(
    JSON.stringify({
      file,
      messages,
      pageSize,
      fileBytes: pages * pageSize,
      totalPerMessage: Math.round(perMessage(total)),
      objects: rows.map((r) => ({ ...r, perMessage: Math.round(perMessage(r.bytes) * 10) / 10 })),
    }),
  );
} else {
  const big = rows.filter((r) => perMessage(r.bytes) >= 1);
  const small = rows.filter((r) => perMessage(r.bytes) < 1);
  const name = (r: (typeof rows)[number]) => (r.type === 'index' ? `${r.name} (${r.owner})` : r.name);
  const width = Math.max(40, ...big.map((r) => name(r).length));
  console.log(`${file}: ${messages.toLocaleString('en')} messages, page size ${pageSize}`);
  console.log(`${'table or index'.padEnd(width)}  bytes/message  unused`);
  for (const r of big) {
    const unused = r.bytes > 0 ? `${Math.round((r.unused / r.bytes) * 100)}%` : '';
    console.log(`${name(r).padEnd(width)}  ${perMessage(r.bytes).toFixed(1).padStart(13)}  ${unused.padStart(6)}`);
  }
  if (small.length > 0) {
    const rest = small.reduce((s, r) => s + r.bytes, 0);
    console.log(`${`${small.length} others`.padEnd(width)}  ${perMessage(rest).toFixed(1).padStart(13)}`);
  }
  console.log(`${'total'.padEnd(width)}  ${perMessage(total).toFixed(1).padStart(13)}`);
  console.log(`file: ${(pages * pageSize).toLocaleString('en')} bytes`);
}
