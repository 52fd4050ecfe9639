// Open311 GeoReport v2 documents in XML and JSON, shaped as the spec's examples: element names and order, the XML
// declaration, the Spark-convention JSON (lists as arrays, empty values as null), and the spec's error format.
import { createRequire } from 'node:module';
import type { XMLBuilder } from 'fast-xml-parser';

export type Format = 'xml' | 'json';

export const MIME: Record<Format, string> = {
  xml: 'text/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** A value in a document: text, a number or a boolean; null or '' is an empty element (XML) or null (JSON). */
export type Scalar = string | number | boolean | null;
/** An element's children in the spec's order; a list is written as repeated elements (XML) or an array (JSON). */
export interface Node {
  [name: string]: Scalar | Node | List;
}
/** Repeated elements: `{ list: 'service', items }` is <service>… <service>… in XML and [ … ] in JSON. */
export interface List {
  list: string;
  items: (Node | Scalar)[];
}

const isList = (v: unknown): v is List => typeof v === 'object' && v !== null && 'list' in v && 'items' in v;

let built: XMLBuilder | undefined;
/** fast-xml-parser is loaded at the first Open311 XML document, not at start-up. */
const builder = () =>
  (built ??= new (createRequire(import.meta.url)('fast-xml-parser') as typeof import('fast-xml-parser')).XMLBuilder({
    format: true,
    indentBy: '    ',
    suppressEmptyNode: false,
    processEntities: true,
  }));

/** Characters XML 1.0 cannot carry at all (control characters other than tab and line breaks). */
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

function toXmlValue(value: Scalar | Node | List): unknown {
  if (value === null || value === '') return '';
  if (typeof value === 'string') return value.replace(NOT_XML, '');
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isList(value)) return { [value.list]: value.items.map((item) => toXmlValue(item)) };
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toXmlValue(v)]));
}

function toJsonValue(value: Scalar | Node | List): unknown {
  if (value === '' || value === null) return null;
  if (isList(value)) return value.items.map((item) => toJsonValue(item));
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonValue(v)]));
  return value;
}

/**
 * One document: `root` is the XML root element (services, service_requests, …); its content is a list (repeated child
 * elements, a JSON array) or one node (child elements, a JSON object).
 */
export function render(format: Format, root: string, content: List | Node): string {
  if (format === 'json') return JSON.stringify(toJsonValue(content));
  const inner = isList(content) ? (content.items.length === 0 ? '' : toXmlValue(content)) : toXmlValue(content);
  const xml: string = builder().build({ [root]: inner });
  return `<?xml version="1.0" encoding="utf-8"?>\n${xml.trim()}\n`;
}

export interface Open311Problem {
  code: number;
  description: string;
}

/** The spec's error document: <errors><error><code>…</code><description>…</description></error></errors>. */
export function renderErrors(format: Format, problems: Open311Problem[]): string {
  return render(format, 'errors', {
    list: 'error',
    items: problems.map((p) => ({ code: p.code, description: p.description })),
  });
}

/** 'services.xml' → ['services', 'xml']; a name without a known format is null. */
export function splitFormat(file: string): { name: string; format: Format } | null {
  const m = /^(.+)\.(xml|json)$/.exec(file);
  return m ? { name: m[1]!, format: m[2] as Format } : null;
}

/** A moment as the spec's W3C date-time with the offset of Beijing time: 2026-05-01T09:30:00+08:00. */
export function w3cTime(iso: string | null | undefined): string | null {
  if (!iso) return null;
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return null;
  return `${new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
}

/** Reads a W3C date-time with a zone (Z or ±HH:MM); null for anything else. */
export function parseW3c(text: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return null;
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? null : at;
}
