// The open-data dump's files and columns, described once: the writer, schema.json, the /open-data page and the docs follow it.
// The words are the catalogue's (openData.*): schema.json and the files are written once for everyone in the platform's
// own language (Chinese); the page describes them in the reader's.
import { zhCN } from '../i18n/catalog.zh-CN.ts';
import { DEFAULT_LOCALE, type MessageKey, translator, type Translate } from '../i18n/i18n.ts';

export const OPEN_DATA_VERSION = 1;

export const OPEN_DATA_LICENCE = {
  name: 'CC BY 4.0',
  url: zhCN['openData.licence.url'],
  note: zhCN['openData.licence.note'],
};

export type ColumnType = 'integer' | 'text' | 'timestamp' | 'date' | 'flag';

export interface OpenDataColumn {
  name: string;
  type: ColumnType;
  description: string;
}

export interface OpenDataFile {
  name: string;
  description: string;
  columns: OpenDataColumn[];
}

const TYPE_NOTES: Record<ColumnType, string> = {
  integer: zhCN['openData.type.integer'],
  text: zhCN['openData.type.text'],
  timestamp: zhCN['openData.type.timestamp'],
  date: zhCN['openData.type.date'],
  flag: zhCN['openData.type.flag'],
};
export const COLUMN_TYPES = TYPE_NOTES;

/** The files by name (without .csv), each with its columns and their types; their descriptions are the catalogue's. */
type FileName = 'messages' | 'replies' | 'regions' | 'units' | 'boards';
const COLUMNS: Record<FileName, [name: string, type: ColumnType][]> = {
  messages: [
    ['message_id', 'integer'],
    ['board_id', 'integer'],
    ['unit_id', 'integer'],
    ['region_code', 'text'],
    ['province_code', 'text'],
    ['city_code', 'text'],
    ['type', 'text'],
    ['domain', 'text'],
    ['visibility', 'text'],
    ['channel', 'text'],
    ['status', 'text'],
    ['received_at', 'timestamp'],
    ['received_day', 'date'],
    ['expected', 'flag'],
    ['replied_at', 'timestamp'],
    ['due_at', 'timestamp'],
    ['on_time', 'flag'],
    ['handling_days', 'integer'],
    ['resolved', 'flag'],
    ['overdue', 'flag'],
    ['returned', 'flag'],
    ['reopened', 'flag'],
    ['signed', 'flag'],
    ['rating_resolution', 'integer'],
    ['rating_timeliness', 'integer'],
    ['rating_attitude', 'integer'],
    ['title', 'text'],
    ['body', 'text'],
  ],
  replies: [
    ['reply_id', 'integer'],
    ['message_id', 'integer'],
    ['round', 'integer'],
    ['unit_id', 'integer'],
    ['unit_name', 'text'],
    ['body', 'text'],
    ['resolved', 'flag'],
    ['published_at', 'timestamp'],
    ['signer_name', 'text'],
  ],
  regions: [
    ['code', 'text'],
    ['name', 'text'],
    ['level', 'text'],
    ['parent_code', 'text'],
  ],
  units: [
    ['id', 'integer'],
    ['name', 'text'],
    ['level', 'text'],
    ['region_code', 'text'],
    ['parent_id', 'integer'],
  ],
  boards: [
    ['id', 'integer'],
    ['region_code', 'text'],
    ['title', 'text'],
    ['holder_name', 'text'],
    ['unit_id', 'integer'],
  ],
};

const baseName = (file: string) => file.replace(/\.csv$/, '');

/** A data file's description in a language (the page's; schema.json has the platform's own, Chinese). */
export const fileDescription = (file: string, t: Translate): string =>
  t(`openData.file.${baseName(file)}` as MessageKey);

/** A column's description in a language. */
export const columnDescription = (file: string, column: string, t: Translate): string =>
  t(`openData.column.${baseName(file)}.${column}` as MessageKey);

const zh = translator(DEFAULT_LOCALE);

/** The CSV files, in the order they are written and listed. */
export const DATA_FILES: OpenDataFile[] = (Object.keys(COLUMNS) as FileName[]).map((file) => ({
  name: `${file}.csv`,
  description: fileDescription(file, zh),
  columns: COLUMNS[file].map(([name, type]) => ({ name, type, description: columnDescription(file, name, zh) })),
}));

export const SCHEMA_FILE = 'schema.json';
export const MANIFEST_FILE = 'manifest.json';

/** Every file a dump directory holds, in the order the page lists them. */
export const ALL_FILES: string[] = [...DATA_FILES.map((f) => f.name), SCHEMA_FILE, MANIFEST_FILE];

export function isOpenDataFile(name: string): boolean {
  return ALL_FILES.includes(name);
}

/** How the published figures follow from messages.csv (catalogue `openData.recompute.*`), in a language. */
export const recomputeNotes = (t: Translate): string[] =>
  ([1, 2, 3, 4, 5, 6] as const).map((n) => t(`openData.recompute.${n}`));

/** The same in the platform's own language; repeated in schema.json so the dump explains itself. */
export const RECOMPUTE_NOTES: string[] = recomputeNotes(zh);

export function schemaDocument() {
  return {
    version: OPEN_DATA_VERSION,
    encoding: zh('openData.schema.encoding'),
    types: TYPE_NOTES,
    files: DATA_FILES,
    recompute: RECOMPUTE_NOTES,
    licence: OPEN_DATA_LICENCE,
  };
}
