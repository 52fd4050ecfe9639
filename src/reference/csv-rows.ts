// Reads an import CSV into rows that remember their line numbers; shared by the board and unit imports.
import { parse } from 'csv-parse/sync';

export interface CsvRow {
  line: number;
  values: Record<string, string>;
}

export interface RowError {
  line: number;
  message: string;
}

export type CsvResult = { ok: true; rows: CsvRow[] } | { ok: false; errors: RowError[] };

/** Parses UTF-8 CSV text with a header row; reports a missing column or malformed CSV as errors. */
export function readCsv(text: string, required: string[], optional: string[] = []): CsvResult {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  let columns: string[] = [];
  try {
    records = parse(text, {
      bom: true,
      columns: (header: string[]) => (columns = header.map((h) => h.trim().toLowerCase())),
      skip_empty_lines: true,
      trim: true,
      info: true,
      relax_column_count: false,
    });
  } catch (err) {
    const e = err as { lines?: number; message: string };
    return { ok: false, errors: [{ line: e.lines ?? 1, message: `CSV 格式错误：${e.message}` }] };
  }
  const missing = required.filter((c) => !columns.includes(c));
  const known = new Set([...required, ...optional]);
  const unknown = columns.filter((c) => c && !known.has(c));
  const errors: RowError[] = [];
  if (missing.length > 0)
    errors.push({
      line: 1,
      message: `缺少列：${missing.join('、')}（表头应为 ${[...required, ...optional].join(',')}）`,
    });
  if (unknown.length > 0) errors.push({ line: 1, message: `无法识别的列：${unknown.join('、')}` });
  if (errors.length > 0) return { ok: false, errors };
  if (records.length === 0) return { ok: false, errors: [{ line: 1, message: '文件中没有数据行' }] };
  return { ok: true, rows: records.map((r) => ({ line: r.info.lines, values: r.record })) };
}

/** Reads yes/no style values as they appear in spreadsheets. */
export function parseFlag(value: string): boolean | undefined {
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'y', '是', '启用'].includes(v)) return true;
  if (['0', 'false', 'no', 'n', '否', '停用'].includes(v)) return false;
  return undefined;
}
