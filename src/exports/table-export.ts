// Any table the pages show, as a CSV or XLSX download with Chinese headers that Excel opens correctly.
import { stringify } from 'csv-stringify/sync';
import type { FastifyReply } from 'fastify';

export type Cell = string | number | null;

export interface Column {
  key: string;
  label: string;
  /**
   * What a page shows for an empty cell of this column ("样本不足", "不参评"). Downloads leave the cell empty, so a
   * numeric column holds numbers only; the reason goes into a note column of its own.
   */
  missing?: string;
  /** In downloads only: a note column whose content the page already shows in the cells. */
  exportOnly?: boolean;
}

export interface DataTable {
  /** Sheet name and the start of the file name, e.g. "2026年各省统计". */
  title: string;
  columns: Column[];
  rows: Record<string, Cell>[];
}

/** A cell as a page shows it: an empty cell says why, when its column says so. */
export function pageCell(column: Column, value: Cell | undefined): string {
  return value === null || value === undefined ? (column.missing ?? '') : String(value);
}

/** The columns a page shows (the download's note columns left out). */
export const pageColumns = (table: DataTable): Column[] => table.columns.filter((c) => !c.exportOnly);

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(value: unknown): value is ExportFormat {
  return typeof value === 'string' && (EXPORT_FORMATS as readonly string[]).includes(value);
}

/**
 * Text that a spreadsheet would take for a formula if it were typed in: =, +, -, @, a tab or a carriage return first
 * (csv-stringify's list for its `escape_formulas`, with the full-width forms).
 */
export const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * UTF-8 with a byte-order mark: without it Excel on Windows reads Chinese headers as GBK and garbles them. Text that
 * starts like a formula (a title such as `=HYPERLINK(…)`) gets a leading `'`, so that a spreadsheet shows it as text
 * instead of running it; numbers, negative ones included, are left alone.
 */
export function toCsv(table: DataTable): Buffer {
  const body = stringify(
    table.rows.map((row) => table.columns.map((c) => row[c.key] ?? '')),
    { header: true, columns: table.columns.map((c) => c.label), escape_formulas: true },
  );
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body, 'utf8')]);
}

/** Excel forbids some characters in sheet names and caps them at 31 characters. */
function sheetName(title: string): string {
  return title.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31) || 'Sheet1';
}

export async function toXlsx(table: DataTable): Promise<Buffer> {
  // Loaded at the first download rather than at start-up: ExcelJS takes a few hundred milliseconds to load.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Liuyan';
  const sheet = workbook.addWorksheet(sheetName(table.title));
  sheet.columns = table.columns.map((c) => ({
    header: c.label,
    key: c.key,
    width: Math.min(40, Math.max(10, [...c.label].length * 2 + 2)),
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  for (const row of table.rows) {
    // A string is always written as a string cell, never as a formula. Formatted as text ('@'), a cell that starts
    // like a formula also stays text when someone edits it in Excel and presses Enter.
    sheet.addRow(row).eachCell((cell) => {
      if (typeof cell.value === 'string' && FORMULA_START.test(cell.value)) cell.numFmt = '@';
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const MEDIA_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Sends the table as an attachment; the Chinese file name travels in RFC 5987 form. */
export async function sendTable(reply: FastifyReply, table: DataTable, format: ExportFormat): Promise<FastifyReply> {
  const body = format === 'csv' ? toCsv(table) : await toXlsx(table);
  const name = `${table.title}.${format}`;
  return reply
    .header('content-type', MEDIA_TYPES[format])
    .header(
      'content-disposition',
      `attachment; filename="export.${format}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    )
    .header('cache-control', 'no-store')
    .send(body);
}
