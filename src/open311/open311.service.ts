// Open311 GeoReport v2 over our messages: services are the 13 domains, a request is a message (written through the
// same submitMessage as the web form, so review, privacy and masking rules hold), its token is the tracking code.
import type { AttachmentStore } from '../attachments/attachment-store.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/kysely.ts';
import { translator } from '../i18n/i18n.ts';
import {
  DOMAINS,
  type Domain,
  MESSAGE_TYPES,
  type MessageStatus,
  REJECT_REASONS,
  STATUSES,
  VISIBILITIES,
} from '../messages/message-kinds.ts';
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

const GROUPS: Record<Domain, string> = {
  urban: '城乡建设',
  transport: '城乡建设',
  environment: '城乡建设',
  agriculture: '三农',
  education: '社会民生',
  health: '社会民生',
  employment: '社会民生',
  culture: '社会民生',
  tourism: '社会民生',
  security: '公共安全',
  finance: '经济发展',
  enterprise: '经济发展',
  government: '政务服务',
};

const t = translator('zh-CN');

export function isServiceCode(code: string): code is Domain {
  return Object.hasOwn(DOMAINS, code);
}

export function discovery(base: string, contact: string | undefined): Node {
  return {
    changeset: CHANGESET,
    contact: contact ?? '请联系本平台管理员',
    key_service: '提交请求所需的 api_key 由本平台系统管理员签发给接入机构（管理 → Open311 密钥）。',
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
export function serviceList(): List {
  return {
    list: 'service',
    items: (Object.entries(DOMAINS) as [Domain, { label: string; note: string }][]).map(([code, d]) => ({
      service_code: code,
      service_name: d.label,
      description: d.note,
      metadata: true,
      type: 'batch',
      keywords: [d.label, ...d.note.replace(/等$/, '').split('、')].join(', '),
      group: GROUPS[code],
    })),
  };
}

const valuesOf = (table: Record<string, string>): List => ({
  list: 'value',
  items: Object.entries(table).map(([key, name]) => ({ key, name })),
});

export function serviceDefinition(code: string): Node {
  if (!isServiceCode(code)) throw fail(404, `没有服务代码 ${code}（应为 13 个领域之一，见 services）`);
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
          description: '留言类型',
          values: valuesOf(MESSAGE_TYPES),
        }),
        attribute({
          code: 'visibility',
          datatype: 'singlevaluelist',
          required: false,
          order: 2,
          description: '是否公开（默认公开；不公开的留言只有留言人、平台编辑和办理单位可见）',
          values: valuesOf({ public: VISIBILITIES.public, private: '不公开' }),
        }),
        attribute({
          code: 'title',
          datatype: 'string',
          required: false,
          order: 3,
          description: `标题（${TITLE_MIN}–${TITLE_MAX} 字；不填则取描述的开头）`,
        }),
        attribute({
          code: 'leader',
          datatype: 'singlevaluelist',
          required: false,
          order: 4,
          description: '写给哪位领导（默认政府负责人）',
          values: valuesOf({ government: '政府负责人（省长、市长、县长等）', party: '党委书记' }),
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
export async function jurisdiction(db: Db, id: string | undefined): Promise<RegionRow | null> {
  if (id === undefined || id === '') return null;
  if (!/^\d{6}$/.test(id)) throw fail(400, `jurisdiction_id 应为 6 位行政区划代码，如 130123（正定县）`);
  const region = await open311Repository.regionWithBoards(db, id);
  if (!region) throw fail(404, `没有找到 jurisdiction_id 为 ${id} 的地区（或该地区没有领导留言板）`);
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
): Promise<{ region: RegionRow; problem: null } | { region: null; problem: string }> {
  const at = `（纬度 ${lat}，经度 ${long}）`;
  const located = locateRegion(lat, long);
  if (!located.found) {
    return {
      region: null,
      problem:
        located.reason === 'outside_china'
          ? `lat/long${at}不在中国境内：本平台只受理中国境内的请求，请核对经纬度（WGS84）`
          : `lat/long${at}不在任何县级行政区内（可能在海上或境外）：请核对经纬度（WGS84），或提供 jurisdiction_id 或含地名的 address_string`,
    };
  }
  const index = await regions(db);
  const { code } = located;
  // GB/T 2260: a county's prefecture is its first four digits, its province the first two.
  const region = [code, `${code.slice(0, 4)}00`, `${code.slice(0, 2)}0000`]
    .map((c) => index.byCode.get(c))
    .find((r) => r !== undefined);
  if (!region) return { region: null, problem: `lat/long${at}所在的地区没有可以接收留言的领导留言板` };
  if (inside && !within(index, region, inside)) {
    return { region: null, problem: `lat/long${at}在${region.name}，不在 jurisdiction_id 所指的${inside.name}内` };
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

function coordinate(text: string | undefined, name: 'lat' | 'long'): number | null {
  if (text === undefined || text === '') return null;
  const n = Number(text);
  const max = name === 'lat' ? 90 : 180;
  if (!/^-?\d{1,3}(\.\d+)?$/.test(text) || !Number.isFinite(n) || Math.abs(n) > max) {
    throw fail(400, `${name} 应为 WGS84 ${name === 'lat' ? '纬度（-90 到 90）' : '经度（-180 到 180）'}`);
  }
  return n;
}

const limited = (value: string | undefined, max: number, name: string): string | null => {
  if (value === undefined || value === '') return null;
  if ([...value].length > max) throw fail(400, `${name} 过长（最多 ${max} 个字符）`);
  return value;
};

export interface CreateContext {
  db: Db;
  config: Pick<Config, 'secret' | 'limits'>;
  store: AttachmentStore;
  sensitiveWords: SensitiveWords;
  key: VerifiedKey;
}

/** POST requests: a message in review from the key's account, answered with its token (the tracking code). */
export async function createRequest(ctx: CreateContext, form: Form): Promise<List> {
  const { db } = ctx;
  const now = new Date();
  const recent = await open311Repository.countRecent(db, ctx.key.id, new Date(now.getTime() - 60_000).toISOString());
  if (recent >= ctx.config.limits.open311PerKeyPerMinute) {
    throw new Open311Error(429, [
      {
        code: 429,
        description: `该 api_key 每分钟最多提交 ${ctx.config.limits.open311PerKeyPerMinute} 个请求，请稍后再试`,
      },
    ]);
  }
  const serviceCode = one(form, 'service_code');
  if (!serviceCode) throw fail(400, '缺少 service_code（见 services）');
  if (!isServiceCode(serviceCode)) throw fail(404, `没有服务代码 ${serviceCode}（应为 13 个领域之一，见 services）`);
  const inside = await jurisdiction(db, one(form, 'jurisdiction_id'));
  const lat = coordinate(one(form, 'lat'), 'lat');
  const long = coordinate(one(form, 'long'), 'long');
  if ((lat === null) !== (long === null)) throw fail(400, 'lat 和 long 须同时提供');
  const addressString = limited(one(form, 'address_string'), 300, 'address_string');
  const addressId = limited(one(form, 'address_id'), 100, 'address_id');
  if (lat === null && !addressString && !addressId) {
    throw fail(400, '缺少位置：请提供 lat 和 long、address_string 或 address_id 之一');
  }
  const located = lat !== null && long !== null ? await regionFromPoint(db, lat, long, inside) : null;
  let region = located?.region ?? inside;
  if (addressString) {
    const named = await regionFromAddress(db, addressString, inside);
    // Coordinates are measured and an address is typed: where they disagree the coordinates win, and the address
    // only narrows them (a point that found only its prefecture, an address that names the county).
    if (named && (!located?.region || within(await regions(db), named, located.region))) region = named;
    else if (!named && !region)
      throw fail(
        400,
        `无法从 address_string“${addressString}”确定所在地区：请写明省、市、县（区）名，或提供 jurisdiction_id`,
      );
  }
  if (!region) {
    throw fail(
      400,
      located?.problem ??
        '无法仅凭 address_id 确定所在地区：请同时提供 lat 和 long、jurisdiction_id（行政区划代码）或含地名的 address_string',
    );
  }
  const leader = attribute(form, 'leader') ?? 'government';
  if (!['government', 'party'].includes(leader)) throw fail(400, 'attribute[leader] 应为 government 或 party');
  const board =
    (await open311Repository.boardFor(db, region.code, leader)) ??
    (await open311Repository.boardFor(db, region.code, 'chief_executive')) ??
    (await open311Repository.anyBoard(db, region.code));
  if (!board) throw fail(404, `${region.name}没有可以接收留言的领导留言板`);
  const type = attribute(form, 'type');
  if (!type) throw fail(400, '缺少 attribute[type]（留言类型，见服务定义）');
  if (!Object.hasOwn(MESSAGE_TYPES, type))
    throw fail(400, `attribute[type] 应为 ${Object.keys(MESSAGE_TYPES).join('、')} 之一`);
  const visibility = attribute(form, 'visibility') || 'public';
  if (!Object.hasOwn(VISIBILITIES, visibility)) throw fail(400, 'attribute[visibility] 应为 public 或 private');
  const description = one(form, 'description') ?? '';
  if ([...description].length > DESCRIPTION_MAX) throw fail(400, `description 最多 ${DESCRIPTION_MAX} 个字符`);
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
  const mediaUrl = limited(one(form, 'media_url'), 500, 'media_url');
  if (mediaUrl && !/^https?:\/\//.test(mediaUrl)) throw fail(400, 'media_url 应为 http:// 或 https:// 开头的地址');
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
            deviceId: limited(one(form, 'device_id'), 100, 'device_id'),
            accountId: limited(one(form, 'account_id'), 100, 'account_id'),
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
          service_notice: '已收到，平台编辑审核通过后转交办理单位；用 tokens/{token} 查询请求编号。',
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
        description: `${OPEN311_FIELDS[e.field ?? ''] ?? ''}${t(e.messageKey, e.params)}`,
      })),
    );
  }
}

/** Which Open311 parameter each of our form fields came from, so an error names what the client sent. */
const OPEN311_FIELDS: Record<string, string> = {
  title: 'attribute[title]：',
  body: 'description：',
  type: 'attribute[type]：',
  domain: 'service_code：',
  location: 'address_string：',
  visibility: 'attribute[visibility]：',
  remarks: '联系方式：',
};

const openStatuses: MessageStatus[] = ['pending', 'assigned', 'replied'];

/** Our statuses as Open311's: everything but closed is open. */
const open311Status = (status: string) => (status === 'closed' ? 'closed' : 'open');

async function toRequest(db: Db, base: string, m: RequestRow, full: boolean): Promise<Node> {
  const reply = ['replied', 'closed'].includes(m.status) ? await open311Repository.latestReply(db, m.id) : undefined;
  const label = STATUSES[m.status as MessageStatus] ?? m.status;
  const dueAt = m.status === 'pending' ? m.accept_due_at : m.status === 'assigned' ? m.handle_due_at : null;
  const photo = full ? await open311Repository.firstPublicAttachment(db, m.id) : undefined;
  const notes = reply ? `${label}。答复：${reply.body}` : label;
  return {
    service_request_id: m.id,
    status: open311Status(m.status),
    status_notes: [...notes].length > DESCRIPTION_MAX ? `${[...notes].slice(0, DESCRIPTION_MAX - 1).join('')}…` : notes,
    service_name: DOMAINS[m.domain as Domain]?.label ?? m.domain,
    service_code: m.domain,
    description: full ? [...m.body].slice(0, DESCRIPTION_MAX).join('') : null,
    agency_responsible: m.unit_name ?? null,
    service_notice: dueAt ? `${m.unit_name ?? '办理单位'}办理，时限 ${w3cTime(dueAt)!.slice(0, 10)}` : null,
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

export async function listRequests(db: Db, base: string, q: ListQuery, key: VerifiedKey | null): Promise<List> {
  const region = await jurisdiction(db, q.jurisdiction_id);
  if (q.service_request_id) {
    // It overrides every other argument.
    const ids = q.service_request_id.split(',').map((s) => s.trim());
    if (ids.length > MAX_REQUESTS || ids.some((id) => !/^\d{1,10}$/.test(id) || Number(id) > 2147483647)) {
      throw fail(400, 'service_request_id 应为以逗号分隔的请求编号');
    }
    const rows = await open311Repository.requestsByIds(db, ids.map(Number));
    const shown = rows.filter((m) => visible(m, key));
    return { list: 'request', items: await Promise.all(shown.map((m) => toRequest(db, base, m, true))) };
  }
  const codes = q.service_code ? q.service_code.split(',').map((s) => s.trim()) : null;
  const unknown = codes?.find((c) => !isServiceCode(c));
  if (unknown !== undefined) throw fail(404, `没有服务代码 ${unknown}`);
  const statuses = q.status ? q.status.split(',').map((s) => s.trim()) : ['open', 'closed'];
  const badStatus = statuses.find((s) => s !== 'open' && s !== 'closed');
  if (badStatus !== undefined) throw fail(400, 'status 应为 open、closed 或二者以逗号分隔');
  const ours: MessageStatus[] = [
    ...(statuses.includes('open') ? openStatuses : []),
    ...(statuses.includes('closed') ? (['closed'] as MessageStatus[]) : []),
  ];
  const parse = (text: string | undefined, name: string) => {
    if (text === undefined || text === '') return null;
    const at = parseW3c(text);
    if (!at) throw fail(400, `${name} 应为带时区的 W3C 时间，如 2026-05-01T00:00:00+08:00`);
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
  if (to!.getTime() < from.getTime()) throw fail(400, 'end_date 不能早于 start_date');
  if (to!.getTime() - from.getTime() > span) throw fail(400, `start_date 到 end_date 不能超过 ${MAX_SPAN_DAYS} 天`);
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
  return { list: 'request', items: await Promise.all(rows.map((m) => toRequest(db, base, m, true))) };
}

export async function getRequest(db: Db, base: string, id: string, region: RegionRow | null, key: VerifiedKey | null) {
  const notFound = fail(404, `没有编号为 ${id} 的请求（审核中的请求请用 tokens/{token} 查询）`);
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
  return { list: 'request', items: [await toRequest(db, base, m, true)] } satisfies List;
}

/** tokens/{token}: the request's id once review has passed it; empty while it waits; 404 if it was declined. */
export async function fromToken(db: Db, token: string): Promise<List> {
  const m = /^[A-Z2-9]{8}$/.test(token) ? await open311Repository.requestByToken(db, token) : undefined;
  if (!m) throw fail(404, `没有找到 token ${token}`);
  if (m.status === 'rejected') {
    const reason = REJECT_REASONS[m.reject_reason as keyof typeof REJECT_REASONS] ?? '';
    throw fail(404, `该请求未通过审核，不会公开${reason ? `：${reason}` : ''}`);
  }
  return {
    list: 'request',
    items: [{ service_request_id: m.status === 'submitted' ? null : m.id, token: m.tracking_code }],
  };
}
