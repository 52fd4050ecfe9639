// Open311 GeoReport v2 over our messages: services are the 13 domains, a request is a message (written through the
// same submitMessage as the web form, so review, privacy and masking rules hold), its token is the tracking code.
import type { AttachmentStore } from '../attachments/attachment-store.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/kysely.ts';
import { DEFAULT_LOCALE, translator, type Translate } from '../i18n/i18n.ts';
import { type Names, namesFor } from '../i18n/place-names.ts';
import {
  DOMAINS,
  type Domain,
  MESSAGE_TYPES,
  type MessageStatus,
  REJECT_REASONS,
  VISIBILITIES,
} from '../messages/message-kinds.ts';
import { domainLabel, domainNote, rejectReasonLabel, statusLabel, typeLabel } from '../messages/message-labels.ts';
import { PUBLISHED } from '../messages/message-view.ts';
import type { SensitiveWords } from '../messages/sensitive-words.ts';
import { submitMessage, TITLE_MAX, TITLE_MIN } from '../messages/submit-message.ts';
import { locateRegion } from '../regions/region-locate.ts';
import { AppError } from '../web/app-error.ts';
import { type List, type Node, type Open311Problem, parseW3c, w3cTime } from './open311-format.ts';
import type { VerifiedKey } from './open311-keys.ts';
import { open311Repository, type RequestRow } from './open311.repository.ts';

export class Open311Error extends Error {
  constructor(
    readonly status: number,
    readonly problems: Open311Problem[],
  ) {
    super(problems.map((p) => p.description).join('; '));
    this.name = 'Open311Error';
  }
}

export const fail = (status: number, description: string): Open311Error =>
  new Open311Error(status, [{ code: status, description }]);

export const SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';
/** When this API last changed: the discovery document's changeset. */
export const CHANGESET = '2026-05-01T00:00:00+08:00';
/** Most requests one GET returns, and the longest date range it may span (the spec's defaults). */
const MAX_REQUESTS = 1000;
const MAX_SPAN_DAYS = 90;
const DESCRIPTION_MAX = 4000;

type Group = 'construction' | 'rural' | 'livelihood' | 'security' | 'economy' | 'government';

const GROUPS: Record<Domain, Group> = {
  urban: 'construction',
  transport: 'construction',
  environment: 'construction',
  agriculture: 'rural',
  education: 'livelihood',
  health: 'livelihood',
  employment: 'livelihood',
  culture: 'livelihood',
  tourism: 'livelihood',
  security: 'security',
  finance: 'economy',
  enterprise: 'economy',
  government: 'government',
};

/**
 * The language of an answer: services, notes and errors are read by the people a client app serves and by its
 * developers, in the language the request asks for (Accept-Language), Simplified Chinese by default.
 */
export interface Open311Language {
  t: Translate;
  names: Names;
}

export const DEFAULT_OPEN311_LANGUAGE: Open311Language = {
  t: translator(DEFAULT_LOCALE),
  names: namesFor(DEFAULT_LOCALE),
};

export function isServiceCode(code: string): code is Domain {
  return Object.hasOwn(DOMAINS, code);
}

export function discovery(base: string, contact: string | undefined, { t } = DEFAULT_OPEN311_LANGUAGE): Node {
  return {
    changeset: CHANGESET,
    contact: contact ?? t('open311.contact'),
    key_service: t('open311.keyService'),
    endpoints: {
      list: 'endpoint',
      items: [
        {
          specification: SPECIFICATION,
          url: `${base}/open311/v2`,
          changeset: CHANGESET,
          type: 'production',
          formats: { list: 'format', items: ['text/xml', 'application/json'] },
        },
      ],
    },
  };
}

/** The 13 domains, the same in every jurisdiction: requests wait for review, so a token comes back (batch). */
export function serviceList({ t } = DEFAULT_OPEN311_LANGUAGE): List {
  return {
    list: 'service',
    items: (Object.keys(DOMAINS) as Domain[]).map((code) => {
      const label = domainLabel(t, code);
      const note = domainNote(t, code);
      return {
        service_code: code,
        service_name: label,
        description: note,
        metadata: true,
        type: 'batch',
        keywords: [label, ...note.replace(/等$/, '').split(/、|, /)].join(', '),
        group: t(`open311.group.${GROUPS[code]}`),
      };
    }),
  };
}

const valuesOf = (table: Record<string, string>): List => ({
  list: 'value',
  items: Object.entries(table).map(([key, name]) => ({ key, name })),
});

export function serviceDefinition(code: string, { t } = DEFAULT_OPEN311_LANGUAGE): Node {
  if (!isServiceCode(code)) throw fail(404, t('open311.error.noService', { code }));
  const attribute = (a: {
    code: string;
    datatype: string;
    required: boolean;
    order: number;
    description: string;
    values?: List;
  }): Node => ({
    variable: true,
    code: a.code,
    datatype: a.datatype,
    required: a.required,
    datatype_description: null,
    order: a.order,
    description: a.description,
    ...(a.values ? { values: a.values } : {}),
  });
  return {
    service_code: code,
    attributes: {
      list: 'attribute',
      items: [
        attribute({
          code: 'type',
          datatype: 'singlevaluelist',
          required: true,
          order: 1,
          description: t('open311.attr.type'),
          values: valuesOf(Object.fromEntries(Object.keys(MESSAGE_TYPES).map((type) => [type, typeLabel(t, type)]))),
        }),
        attribute({
          code: 'visibility',
          datatype: 'singlevaluelist',
          required: false,
          order: 2,
          description: t('open311.attr.visibility'),
          values: valuesOf({ public: t('open311.value.public'), private: t('open311.value.private') }),
        }),
        attribute({
          code: 'title',
          datatype: 'string',
          required: false,
          order: 3,
          description: t('open311.attr.title', { min: TITLE_MIN, max: TITLE_MAX }),
        }),
        attribute({
          code: 'leader',
          datatype: 'singlevaluelist',
          required: false,
          order: 4,
          description: t('open311.attr.leader'),
          values: valuesOf({ government: t('open311.value.government'), party: t('open311.value.party') }),
        }),
      ],
    },
  };
}

interface RegionRow {
  code: string;
  name: string;
  level: string;
  parent_code: string | null;
}

/** jurisdiction_id is a region code with boards; absent means the whole platform. */
export async function jurisdiction(
  db: Db,
  id: string | undefined,
  { t, names } = DEFAULT_OPEN311_LANGUAGE,
): Promise<RegionRow | null> {
  if (id === undefined || id === '') return null;
  if (!/^\d{6}$/.test(id)) throw fail(400, t('open311.error.jurisdiction', { example: names.place('正定县') }));
  const region = await open311Repository.regionWithBoards(db, id);
  if (!region) throw fail(404, t('open311.error.jurisdictionNotFound', { id }));
  return region;
}

const SUFFIXES = ['特别行政区', '自治区', '自治州', '自治县', '地区', '省', '市', '县', '区', '州', '盟', '旗'];
let regionIndex: { at: number; db: Db; rows: RegionRow[]; byCode: Map<string, RegionRow> } | null = null;

async function regions(db: Db) {
  if (!regionIndex || regionIndex.db !== db || Date.now() - regionIndex.at > 600_000) {
    const rows = await open311Repository.regionsWithBoards(db);
    regionIndex = { at: Date.now(), db, rows, byCode: new Map(rows.map((r) => [r.code, r])) };
  }
  return regionIndex;
}

const LEVEL_DEPTH: Record<string, number> = { province: 0, city: 1, county: 2 };

/**
 * The most specific region an address names, by the names in it (正定县, or 正定 without its suffix); where a name is
 * shared (鼓楼区), the one whose province or city the address also names. Within `inside` when given.
 */
export async function regionFromAddress(db: Db, address: string, inside: RegionRow | null): Promise<RegionRow | null> {
  const index = await regions(db);
  const ancestors = (r: RegionRow): string[] => {
    const out: string[] = [];
    for (let p = r.parent_code; p; p = index.byCode.get(p)?.parent_code ?? null) out.push(p);
    return out;
  };
  const named = (r: RegionRow) => {
    if (address.includes(r.name)) return true;
    const suffix = SUFFIXES.find((s) => r.name.endsWith(s));
    const short = suffix ? r.name.slice(0, -suffix.length) : null;
    return short !== null && [...short].length >= 2 && address.includes(short);
  };
  let found = index.rows.filter(named);
  if (inside) found = found.filter((r) => r.code === inside.code || ancestors(r).includes(inside.code));
  if (found.length === 0) return null;
  const score = (r: RegionRow) => ancestors(r).filter((code) => found.some((f) => f.code === code)).length;
  found.sort((a, b) => LEVEL_DEPTH[b.level]! - LEVEL_DEPTH[a.level]! || score(b) - score(a));
  const best = found[0]!;
  const rivals = found.filter((r) => r.level === best.level && score(r) === score(best));
  if (rivals.length > 1) {
    // 鼓楼区 alone could be in Nanjing or Fuzhou: the address is not clear enough, unless one contains the others.
    const common = rivals.every((r) => ancestors(r).includes(rivals[0]!.parent_code ?? ''));
    if (!common) return null;
  }
  return best;
}

/** Whether `r` is `outer` or lies inside it, by the region tree. */
function within(index: Awaited<ReturnType<typeof regions>>, r: RegionRow, outer: RegionRow): boolean {
  for (let code: string | null = r.code; code; code = index.byCode.get(code)?.parent_code ?? null) {
    if (code === outer.code) return true;
  }
  return false;
}

/**
 * The region with boards that holds a WGS-84 point: its county, or where the county has none, its prefecture or
 * province (台湾省 has none at all). Within `inside` when given. Else why not, for the error the client gets.
 */
export async function regionFromPoint(
  db: Db,
  lat: number,
  long: number,
  inside: RegionRow | null,
  { t, names } = DEFAULT_OPEN311_LANGUAGE,
): Promise<{ region: RegionRow; problem: null } | { region: null; problem: string }> {
  const at = t('open311.point.at', { lat, long });
  const located = locateRegion(lat, long);
  if (!located.found) {
    return {
      region: null,
      problem: t(located.reason === 'outside_china' ? 'open311.point.outsideChina' : 'open311.point.noCounty', { at }),
    };
  }
  const index = await regions(db);
  const { code } = located;
  // GB/T 2260: a county's prefecture is its first four digits, its province the first two.
  const region = [code, `${code.slice(0, 4)}00`, `${code.slice(0, 2)}0000`]
    .map((c) => index.byCode.get(c))
    .find((r) => r !== undefined);
  if (!region) return { region: null, problem: t('open311.point.noBoard', { at }) };
  if (inside && !within(index, region, inside)) {
    return {
      region: null,
      problem: t('open311.point.outsideJurisdiction', {
        at,
        region: names.place(region.name),
        inside: names.place(inside.name),
      }),
    };
  }
  return { region, problem: null };
}

export type Form = Record<string, string | string[] | undefined>;

function one(form: Form, name: string): string | undefined {
  const value = form[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined ? undefined : text.trim();
}

/** attribute[code]=value, as the spec writes them in the form. */
function attribute(form: Form, code: string): string | undefined {
  return one(form, `attribute[${code}]`) ?? one(form, `attribute[${code}][]`);
}

function coordinate(text: string | undefined, name: 'lat' | 'long', t: Translate): number | null {
  if (text === undefined || text === '') return null;
  const n = Number(text);
  const max = name === 'lat' ? 90 : 180;
  if (!/^-?\d{1,3}(\.\d+)?$/.test(text) || !Number.isFinite(n) || Math.abs(n) > max) {
    throw fail(400, t(name === 'lat' ? 'open311.error.lat' : 'open311.error.long'));
  }
  return n;
}

const limited = (value: string | undefined, max: number, name: string, t: Translate): string | null => {
  if (value === undefined || value === '') return null;
  if ([...value].length > max) throw fail(400, t('open311.error.tooLong', { name, max }));
  return value;
};

export interface CreateContext {
  db: Db;
  config: Pick<Config, 'secret' | 'limits'>;
  store: AttachmentStore;
  sensitiveWords: SensitiveWords;
  key: VerifiedKey;
  /** The language the client asks for: errors and notices in it. */
  lang?: Open311Language;
}

/** POST requests: a message in review from the key's account, answered with its token (the tracking code). */
export async function createRequest(ctx: CreateContext, form: Form): Promise<List> {
  const { db } = ctx;
  const lang = ctx.lang ?? DEFAULT_OPEN311_LANGUAGE;
  const { t } = lang;
  const now = new Date();
  const recent = await open311Repository.countRecent(db, ctx.key.id, new Date(now.getTime() - 60_000).toISOString());
  if (recent >= ctx.config.limits.open311PerKeyPerMinute) {
    throw new Open311Error(429, [
      { code: 429, description: t('open311.error.rate', { max: ctx.config.limits.open311PerKeyPerMinute }) },
    ]);
  }
  const serviceCode = one(form, 'service_code');
  if (!serviceCode) throw fail(400, t('open311.error.noServiceCode'));
  if (!isServiceCode(serviceCode)) throw fail(404, t('open311.error.noService', { code: serviceCode }));
  const inside = await jurisdiction(db, one(form, 'jurisdiction_id'), lang);
  const lat = coordinate(one(form, 'lat'), 'lat', t);
  const long = coordinate(one(form, 'long'), 'long', t);
  if ((lat === null) !== (long === null)) throw fail(400, t('open311.error.latLong'));
  const addressString = limited(one(form, 'address_string'), 300, 'address_string', t);
  const addressId = limited(one(form, 'address_id'), 100, 'address_id', t);
  if (lat === null && !addressString && !addressId) throw fail(400, t('open311.error.noLocation'));
  const located = lat !== null && long !== null ? await regionFromPoint(db, lat, long, inside, lang) : null;
  let region = located?.region ?? inside;
  if (addressString) {
    const named = await regionFromAddress(db, addressString, inside);
    // Coordinates are measured and an address is typed: where they disagree the coordinates win, and the address
    // only narrows them (a point that found only its prefecture, an address that names the county).
    if (named && (!located?.region || within(await regions(db), named, located.region))) region = named;
    else if (!named && !region) throw fail(400, t('open311.error.address', { address: addressString }));
  }
  if (!region) throw fail(400, located?.problem ?? t('open311.error.addressId'));
  const leader = attribute(form, 'leader') ?? 'government';
  if (!['government', 'party'].includes(leader)) throw fail(400, t('open311.error.leader'));
  const board =
    (await open311Repository.boardFor(db, region.code, leader)) ??
    (await open311Repository.boardFor(db, region.code, 'chief_executive')) ??
    (await open311Repository.anyBoard(db, region.code));
  if (!board) throw fail(404, t('open311.error.noBoard', { region: lang.names.place(region.name) }));
  const type = attribute(form, 'type');
  if (!type) throw fail(400, t('open311.error.noType'));
  if (!Object.hasOwn(MESSAGE_TYPES, type))
    throw fail(400, t('open311.error.type', { types: Object.keys(MESSAGE_TYPES).join(t('open311.listSeparator')) }));
  const visibility = attribute(form, 'visibility') || 'public';
  if (!Object.hasOwn(VISIBILITIES, visibility)) throw fail(400, t('open311.error.visibility'));
  const description = one(form, 'description') ?? '';
  if ([...description].length > DESCRIPTION_MAX)
    throw fail(400, t('open311.error.description', { max: DESCRIPTION_MAX }));
  const firstSentence = description.split(/[。！？!?\n]/)[0]!.trim();
  const title = attribute(form, 'title') || [...firstSentence].slice(0, TITLE_MAX).join('');
  const person = [one(form, 'last_name'), one(form, 'first_name')].filter(Boolean).join('');
  const contact = [
    person ? `提交人：${person}` : '',
    one(form, 'phone') ? `电话：${one(form, 'phone')}` : '',
    one(form, 'email') ? `邮箱：${one(form, 'email')}` : '',
    one(form, 'account_id') ? `接入方账号：${one(form, 'account_id')}` : '',
    one(form, 'media_url') ? `附件链接（未经核实）：${one(form, 'media_url')}` : '',
  ]
    .filter(Boolean)
    .join('\n');
  const mediaUrl = limited(one(form, 'media_url'), 500, 'media_url', t);
  if (mediaUrl && !/^https?:\/\//.test(mediaUrl)) throw fail(400, t('open311.error.mediaUrl'));
  try {
    const result = await submitMessage(
      {
        db,
        secret: ctx.config.secret,
        store: ctx.store,
        sensitiveWords: ctx.sensitiveWords,
        authorId: ctx.key.userId,
        channel: 'open311',
        afterInsert: (trx, messageId) =>
          open311Repository.insertRequest(trx, {
            messageId,
            keyId: ctx.key.id,
            lat,
            long,
            addressString,
            addressId,
            deviceId: limited(one(form, 'device_id'), 100, 'device_id', t),
            accountId: limited(one(form, 'account_id'), 100, 'account_id', t),
            mediaUrl,
            createdAt: now.toISOString(),
          }),
      },
      {
        boardId: board.id,
        type,
        domain: serviceCode,
        title,
        body: description,
        remarks: contact,
        location: addressString ?? '',
        visibility,
      },
    );
    await open311Repository.touchKey(db, ctx.key.id, now.toISOString());
    return {
      list: 'request',
      items: [
        {
          token: result.trackingCode,
          service_notice: t('open311.received'),
          account_id: null,
        },
      ],
    };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const each = err.fields.length > 0 ? err.fields : [err];
    throw new Open311Error(
      400,
      each.map((e) => ({
        code: 400,
        description: fieldProblem(t, e.field, t(e.messageKey, e.params)),
      })),
    );
  }
}

/** Which Open311 parameter each of our form fields came from, so an error names what the client sent. */
const OPEN311_FIELDS: Record<string, string> = {
  title: 'attribute[title]',
  body: 'description',
  type: 'attribute[type]',
  domain: 'service_code',
  location: 'address_string',
  visibility: 'attribute[visibility]',
};

function fieldProblem(t: Translate, field: string | undefined, problem: string): string {
  if (field === 'remarks') return t('open311.error.field', { field: t('open311.field.remarks'), problem });
  const name = OPEN311_FIELDS[field ?? ''];
  return name ? t('open311.error.field', { field: name, problem }) : problem;
}

const openStatuses: MessageStatus[] = ['pending', 'assigned', 'replied'];

/** Our statuses as Open311's: everything but closed is open. */
const open311Status = (status: string) => (status === 'closed' ? 'closed' : 'open');

async function toRequest(db: Db, base: string, m: RequestRow, full: boolean, lang: Open311Language): Promise<Node> {
  const { t, names } = lang;
  const reply = ['replied', 'closed'].includes(m.status) ? await open311Repository.latestReply(db, m.id) : undefined;
  const label = statusLabel(t, m.status);
  const dueAt = m.status === 'pending' ? m.accept_due_at : m.status === 'assigned' ? m.handle_due_at : null;
  const photo = full ? await open311Repository.firstPublicAttachment(db, m.id) : undefined;
  const notes = reply ? t('open311.statusNotes', { status: label, reply: reply.body }) : label;
  const unit = m.unit_name === null || m.unit_name === undefined ? null : names.unit(m.unit_name);
  return {
    service_request_id: m.id,
    status: open311Status(m.status),
    status_notes: [...notes].length > DESCRIPTION_MAX ? `${[...notes].slice(0, DESCRIPTION_MAX - 1).join('')}…` : notes,
    service_name: isServiceCode(m.domain) ? domainLabel(t, m.domain) : m.domain,
    service_code: m.domain,
    description: full ? [...m.body].slice(0, DESCRIPTION_MAX).join('') : null,
    agency_responsible: unit,
    service_notice: dueAt
      ? t('open311.serviceNotice', { unit: unit ?? t('open311.unitUnknown'), date: w3cTime(dueAt)!.slice(0, 10) })
      : null,
    requested_datetime: w3cTime(m.submitted_at),
    updated_datetime: w3cTime(m.status === 'closed' ? (m.closed_at ?? m.updated_at) : m.updated_at),
    expected_datetime: w3cTime(dueAt),
    address: m.location ?? null,
    address_id: m.address_id ?? null,
    zipcode: null,
    lat: m.lat ?? null,
    long: m.long ?? null,
    media_url: photo ? `${base}/attachments/${photo.id}` : null,
  };
}

/** A request the asker may see: a published public message, or one the asking key filed itself. */
function visible(m: RequestRow, key: VerifiedKey | null): boolean {
  const published = PUBLISHED.includes(m.status as MessageStatus);
  if (key && m.key_id === key.id) return published || m.status === 'closed';
  return published && m.visibility === 'public';
}

export interface ListQuery {
  service_request_id?: string;
  service_code?: string;
  start_date?: string;
  end_date?: string;
  status?: string;
  jurisdiction_id?: string;
}

export async function listRequests(
  db: Db,
  base: string,
  q: ListQuery,
  key: VerifiedKey | null,
  lang = DEFAULT_OPEN311_LANGUAGE,
): Promise<List> {
  const { t } = lang;
  const region = await jurisdiction(db, q.jurisdiction_id, lang);
  if (q.service_request_id) {
    // It overrides every other argument.
    const ids = q.service_request_id.split(',').map((s) => s.trim());
    if (ids.length > MAX_REQUESTS || ids.some((id) => !/^\d{1,10}$/.test(id) || Number(id) > 2147483647)) {
      throw fail(400, t('open311.error.requestIds'));
    }
    const rows = await open311Repository.requestsByIds(db, ids.map(Number));
    const shown = rows.filter((m) => visible(m, key));
    return { list: 'request', items: await Promise.all(shown.map((m) => toRequest(db, base, m, true, lang))) };
  }
  const codes = q.service_code ? q.service_code.split(',').map((s) => s.trim()) : null;
  const unknown = codes?.find((c) => !isServiceCode(c));
  if (unknown !== undefined) throw fail(404, t('open311.error.noServiceShort', { code: unknown }));
  const statuses = q.status ? q.status.split(',').map((s) => s.trim()) : ['open', 'closed'];
  const badStatus = statuses.find((s) => s !== 'open' && s !== 'closed');
  if (badStatus !== undefined) throw fail(400, t('open311.error.status'));
  const ours: MessageStatus[] = [
    ...(statuses.includes('open') ? openStatuses : []),
    ...(statuses.includes('closed') ? (['closed'] as MessageStatus[]) : []),
  ];
  const parse = (text: string | undefined, name: string) => {
    if (text === undefined || text === '') return null;
    const at = parseW3c(text);
    if (!at) throw fail(400, t('open311.error.w3c', { name }));
    return at;
  };
  const span = MAX_SPAN_DAYS * 86_400_000;
  let from = parse(q.start_date, 'start_date');
  let to = parse(q.end_date, 'end_date');
  if (!from && !to) {
    to = new Date();
    from = new Date(to.getTime() - span);
  } else if (!from) from = new Date(to!.getTime() - span);
  else if (!to) to = new Date(Math.min(Date.now(), from.getTime() + span));
  if (to!.getTime() < from.getTime()) throw fail(400, t('open311.error.endBeforeStart'));
  if (to!.getTime() - from.getTime() > span) throw fail(400, t('open311.error.span', { days: MAX_SPAN_DAYS }));
  const prefix = region
    ? region.level === 'province'
      ? region.code.slice(0, 2)
      : region.level === 'city'
        ? region.code.slice(0, 4)
        : region.code
    : null;
  const rows = await open311Repository.searchRequests(db, {
    regionPrefix: prefix,
    regionExact: region?.level === 'county',
    domains: codes,
    statuses: ours,
    from: from.toISOString(),
    to: to!.toISOString(),
    limit: MAX_REQUESTS,
  });
  return { list: 'request', items: await Promise.all(rows.map((m) => toRequest(db, base, m, true, lang))) };
}

export async function getRequest(
  db: Db,
  base: string,
  id: string,
  region: RegionRow | null,
  key: VerifiedKey | null,
  lang = DEFAULT_OPEN311_LANGUAGE,
) {
  const notFound = fail(404, lang.t('open311.error.requestNotFound', { id }));
  if (!/^\d{1,10}$/.test(id) || Number(id) > 2147483647) throw notFound;
  const [m] = await open311Repository.requestsByIds(db, [Number(id)]);
  if (!m || !visible(m, key)) throw notFound;
  if (
    region &&
    !m.region_code.startsWith(
      region.level === 'province'
        ? region.code.slice(0, 2)
        : region.level === 'city'
          ? region.code.slice(0, 4)
          : region.code,
    )
  ) {
    throw notFound;
  }
  return { list: 'request', items: [await toRequest(db, base, m, true, lang)] } satisfies List;
}

/** tokens/{token}: the request's id once review has passed it; empty while it waits; 404 if it was declined. */
export async function fromToken(db: Db, token: string, { t } = DEFAULT_OPEN311_LANGUAGE): Promise<List> {
  const m = /^[A-Z2-9]{8}$/.test(token) ? await open311Repository.requestByToken(db, token) : undefined;
  if (!m) throw fail(404, t('open311.error.tokenNotFound', { token }));
  if (m.status === 'rejected') {
    const reason = m.reject_reason && Object.hasOwn(REJECT_REASONS, m.reject_reason) ? m.reject_reason : null;
    throw fail(
      404,
      reason
        ? t('open311.error.rejectedBecause', { reason: rejectReasonLabel(t, reason) })
        : t('open311.error.rejected'),
    );
  }
  return {
    list: 'request',
    items: [{ service_request_id: m.status === 'submitted' ? null : m.id, token: m.tracking_code }],
  };
}
