// Rows of a bulk load (demo/bulk-messages.ts) encoded for each engine's fastest way in: flat parameter lists for
// prepared multi-row INSERTs on SQLite, COPY text on PostgreSQL. Made in the generator's worker thread, so this file
// loads no driver; db/bulk-dialect.ts writes them.
import type { Engine } from '../config.ts';

/** The tables a bulk load writes, in the order a batch is written (rows name rows of the tables before them). */
export const BULK_TABLES = [
  'users',
  'messages',
  'replies',
  'supervisions',
  'case_events',
  'ratings',
  'message_search',
  'message_facts',
] as const;
export type BulkTable = (typeof BULK_TABLES)[number];

/**
 * The columns of the rows the generator adds, per table. case_events.hash is the hex text eventHash gives;
 * message_search rows end with their tokens, which go where the engine keeps them (db/dialect.ts writeSearchEntry).
 */
export const BULK_COLUMNS: Record<BulkTable, readonly string[]> = {
  users: ['id', 'nickname', 'is_staff', 'created_at', 'updated_at'],
  messages: [
    'id',
    'board_id',
    'region_code',
    'author_id',
    'type',
    'domain',
    'title',
    'body',
    'location',
    'visibility',
    'status',
    'tracking_code',
    'channel',
    'flags',
    'reject_reason',
    'reject_note',
    'current_unit_id',
    'submitted_at',
    'review_due_at',
    'approved_at',
    'closed_at',
    'updated_at',
    'accept_due_at',
    'handle_due_at',
    'assigned_by_unit_id',
    'accepted_at',
    'assigned_at',
    'replied_at',
    'rating_due_at',
    'follow_ups',
  ],
  replies: [
    'id',
    'message_id',
    'unit_id',
    'author_id',
    'body',
    'resolved',
    'status',
    'approver_id',
    'signer_id',
    'signer_name',
    'round',
    'published_at',
    'created_at',
    'updated_at',
  ],
  supervisions: ['id', 'message_id', 'deadline', 'due_at', 'level', 'unit_id', 'created_at'],
  case_events: [
    'message_id',
    'seq',
    'kind',
    'actor_id',
    'actor_unit_id',
    'from_status',
    'to_status',
    'note',
    'data',
    'created_at',
    'hash',
  ],
  ratings: ['message_id', 'round', 'author_id', 'resolution', 'timeliness', 'attitude', 'comment', 'created_at'],
  message_search: ['message_id', 'text', 'tokens'],
  // As statsRepository's factsRow names them, in its order.
  message_facts: [
    'message_id',
    'board_id',
    'unit_id',
    'region_code',
    'province_code',
    'city_code',
    'type',
    'received_at',
    'received_day',
    'expected',
    'replied_at',
    'due_at',
    'on_time',
    'handling_days',
    'resolved',
    'overdue',
    'returned',
    'reopened',
    'signed',
    'rating_resolution',
    'rating_timeliness',
    'rating_attitude',
  ],
};

/** The tables whose ids the generator gives (the others take the next id as rows arrive). */
export const ID_TABLES = ['users', 'messages', 'replies', 'supervisions'] as const;
export type IdTable = (typeof ID_TABLES)[number];

/** Where the generator puts its rows (columns as in BULK_COLUMNS). */
export interface BulkRows {
  add(table: BulkTable, values: unknown[]): void;
}

/** A batch of rows as the writer takes them: flat parameter lists (SQLite) or COPY text (PostgreSQL). */
export interface BulkPayload {
  engine: Engine;
  /** Rows per target table. */
  rows: Record<string, number>;
  data: Record<string, unknown[] | string>;
}

/** Collects rows for one engine; `take` hands over what was added since the last take. */
export interface BulkEncoder extends BulkRows {
  take(): BulkPayload;
}

// ── SQLite ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** Target tables on SQLite: message_search keeps the text, the FTS5 index the tokens. */
export const SQLITE_TARGETS: Record<string, { columns: readonly string[]; placeholders?: string[] }> = {
  users: { columns: BULK_COLUMNS.users },
  messages: { columns: BULK_COLUMNS.messages },
  replies: { columns: BULK_COLUMNS.replies },
  supervisions: { columns: BULK_COLUMNS.supervisions },
  // The hash travels as hex text and is stored as its 32 bytes.
  case_events: {
    columns: BULK_COLUMNS.case_events,
    placeholders: BULK_COLUMNS.case_events.map((c) => (c === 'hash' ? 'unhex(?)' : '?')),
  },
  ratings: { columns: BULK_COLUMNS.ratings },
  message_search: { columns: ['message_id', 'text'] },
  message_fts: { columns: ['rowid', 'tokens'] },
  message_facts: { columns: BULK_COLUMNS.message_facts },
};
export const SQLITE_ORDER = [...BULK_TABLES, 'message_fts'];

class SqliteEncoder implements BulkEncoder {
  private data: Record<string, unknown[]> = {};
  private rows: Record<string, number> = {};

  private push(table: string, values: unknown[]) {
    const list = (this.data[table] ??= []);
    for (const v of values) list.push(v);
    this.rows[table] = (this.rows[table] ?? 0) + 1;
  }

  add(table: BulkTable, values: unknown[]): void {
    if (table === 'message_search') {
      this.push('message_search', [values[0], values[1]]);
      this.push('message_fts', [values[0], values[2]]);
    } else this.push(table, values);
  }

  take(): BulkPayload {
    const payload = { engine: 'sqlite' as const, rows: this.rows, data: this.data };
    this.data = {};
    this.rows = {};
    return payload;
  }
}

// ── PostgreSQL ─────────────────────────────────────────────────────────────────────────────────────────────────

/** Target columns on PostgreSQL: message_search keeps the tokens too, under its GIN index. */
export const POSTGRES_COLUMNS: Record<BulkTable, readonly string[]> = BULK_COLUMNS;
const BOOLEAN_COLUMNS = new Set(['users.is_staff', 'replies.resolved']);

/** A value in COPY's text format. */
function copyField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number') return String(value);
  return String(value).replace(/[\\\n\r\t]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t',
  );
}

class PostgresEncoder implements BulkEncoder {
  private data: Record<string, string> = {};
  private rows: Record<string, number> = {};
  private readonly booleans = Object.fromEntries(
    BULK_TABLES.map((t) => [t, POSTGRES_COLUMNS[t].map((c) => BOOLEAN_COLUMNS.has(`${t}.${c}`))]),
  ) as Record<BulkTable, boolean[]>;
  private readonly hashAt = BULK_COLUMNS.case_events.indexOf('hash');

  add(table: BulkTable, values: unknown[]): void {
    const booleans = this.booleans[table];
    let line = '';
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (i > 0) line += '\t';
      if (booleans[i]) line += v ? 't' : 'f';
      else if (table === 'case_events' && i === this.hashAt) line += `\\\\x${String(v)}`;
      else line += copyField(v);
    }
    this.data[table] = (this.data[table] ?? '') + line + '\n';
    this.rows[table] = (this.rows[table] ?? 0) + 1;
  }

  take(): BulkPayload {
    const payload = { engine: 'postgres' as const, rows: this.rows, data: this.data };
    this.data = {};
    this.rows = {};
    return payload;
  }
}

export function bulkEncoder(engine: Engine): BulkEncoder {
  return engine === 'postgres' ? new PostgresEncoder() : new SqliteEncoder();
}
