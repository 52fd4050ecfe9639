// The bulk generator itself, without a database: N realistic messages, deterministic for a seed, as rows.
//
// Every message gets its author (from a pool of generated netizen accounts), a board (a power-law spread over all
// boards: a few get many messages, most get few), a status with plausible timestamps over the last two years and
// the deadlines of the default working rules (regional overrides are not consulted), its hash-chained case
// history, replies and ratings where the status has them, the scheduler's supervision notices (督办) where a
// deadline passed, and its search entry. Messages come in the order they were submitted, so that ids follow time
// as in a real database: a first pass draws each message's life alone (its own random stream) to learn when it was
// submitted, the second makes the messages in that order.
//
// Ids are given here, from the first free id of each table (demo/bulk-messages.ts reserves the ranges), because
// the case histories name replies and supervision notices by id and every event is hashed with what it names.
// Staff and leader accounts are plain `users` rows without role grants, phone or password (nobody can sign in with
// them; they make the history read right), made as they are first needed.
//
// The search entry is built from text normalised part by part (normaliseText works per code point, so each part
// is normalised once); a sample of the messages is checked against searchableText/indexTokens as it is made.
//
// Each message's facts for the published figures (message_facts) are derived here too (deriveFacts), from exactly what
// a recomputation would read back (statsRepository.factsMessages/factsEvents): the message's current unit, the province
// and city its region lies in, its events of the kinds the facts need, on the calendar the worker was given.
// Runs in a worker thread (demo/bulk-worker.ts) while the main thread writes.
import { eventHash, GENESIS_HASH } from '../audit/case-events.ts';
import type { BulkRows } from '../db/bulk-rows.ts';
import { addWorkingDays } from '../deadlines/working-days.ts';
import { DEFAULT_RULES } from '../deadlines/working-rules.ts';
import type { Domain, MessageStatus, MessageType, RejectReason } from '../messages/message-kinds.ts';
import { normaliseText } from '../messages/text-normalise.ts';
import { indexTokens, normalisedTokens, searchableText } from '../search/tokenize.ts';
import {
  calendarMemo,
  deriveFacts,
  FACT_EVENT_KINDS,
  type FactsEvent,
  type FactsMessage,
  KINDS_WITH_DATA,
  provinceAndCity,
} from '../stats/message-facts.ts';
import * as T from './bulk-text.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** How far back the generated history reaches. */
const SPAN = 730 * DAY;
/** The scheduler runs every minute: its notices and closings come just after the deadline passed. */
const SCHEDULER_LAG = MINUTE;
const RULES = DEFAULT_RULES;
/** The alphabet of tracking codes (as in messages/submit-message.ts). */
const TRACKING_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** Every this many messages, the search entry is checked against the real normaliser and tokenizer. */
const CHECK_EVERY = 211;

const STATUS_WEIGHTS: [MessageStatus, number][] = [
  ['submitted', 3],
  ['rejected', 8],
  ['pending', 4],
  ['assigned', 10],
  ['replied', 5],
  ['closed', 70],
];
const CHANNEL_WEIGHTS: [string, number][] = [
  ['web', 75],
  ['api', 15],
  ['sms', 7],
  ['open311', 3],
];
/** Submissions by hour of the day, China time. */
const HOUR_WEIGHTS = [2, 1, 0.5, 0.3, 0.3, 0.5, 1.5, 3, 5, 7, 8, 8, 6, 6, 7, 7, 7, 6, 6, 7, 8, 8, 6, 4];
const ASSIGN_NOTES = ['请你单位核实情况，依法依规办理，按时答复网友。', '请于办理时限内提出处理意见并答复网友。'];
const FLAGS = { personalData: [] as string[], sensitiveWords: [] as string[] };
const FLAGS_JSON = JSON.stringify(FLAGS);

// ── Randomness ──────────────────────────────────────────────────────────────────────────────────────────────────

/** sfc32 seeded through splitmix32: small, fast, and the same on every platform. */
export class Rand {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** Any number of 32-bit seeds, e.g. (run seed, message index, stream). */
  constructor(...seeds: number[]) {
    let s = 0;
    const split = () => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    for (const seed of seeds) s = (split() ^ seed) | 0;
    this.a = split();
    this.b = split();
    this.c = split();
    this.d = split();
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A float in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  between(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<V>(list: readonly V[]): V {
    return list[this.int(list.length)]!;
  }
}

/** Draws indexes with the given weights (cumulative table, binary search). */
class Weighted {
  private readonly cumulative: Float64Array;

  constructor(weights: ArrayLike<number>) {
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    for (let i = 0; i < weights.length; i++) this.cumulative[i] = sum += weights[i]!;
  }

  draw(r: Rand): number {
    const target = r.next() * this.cumulative[this.cumulative.length - 1]!;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

function weightedPick<V>(entries: [V, number][]): (r: Rand) => V {
  const table = new Weighted(entries.map(([, w]) => w));
  return (r) => entries[table.draw(r)]![0];
}

// ── Text: raw and normalised side by side ─────────────────────────────────────────────────────────────────────────

interface Txt {
  raw: string;
  norm: string;
}

const normalised = new Map<string, string>();
function txt(raw: string): Txt {
  let norm = normalised.get(raw);
  if (norm === undefined) {
    norm = normaliseText(raw);
    normalised.set(raw, norm);
  }
  return { raw, norm };
}

function concat(...parts: (Txt | undefined)[]): Txt {
  let raw = '';
  let norm = '';
  for (const p of parts) {
    if (!p) continue;
    raw += p.raw;
    norm += p.norm;
  }
  return { raw, norm };
}

type Slot = 'place' | 'spot' | 'region' | 'town' | 'time' | 'thing' | 'n' | 'people' | 'board';
type Vars = Partial<Record<Slot, Txt>>;
type Piece = { lit: Txt } | { slot: Slot } | { choice: Template[] };
type Template = Piece[];

const compiled = new Map<string, Template>();

/** `[a|b]` picks an alternative, `{name}` fills a value; alternatives may hold values but not brackets. */
function compile(source: string): Template {
  const cached = compiled.get(source);
  if (cached) return cached;
  const out: Template = [];
  let literal = '';
  const flush = () => {
    if (literal) out.push({ lit: txt(literal) });
    literal = '';
  };
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '{') {
      const end = source.indexOf('}', i);
      flush();
      out.push({ slot: source.slice(i + 1, end) as Slot });
      i = end;
    } else if (ch === '[') {
      const end = source.indexOf(']', i);
      flush();
      out.push({
        choice: source
          .slice(i + 1, end)
          .split('|')
          .map(compile),
      });
      i = end;
    } else literal += ch;
  }
  flush();
  compiled.set(source, out);
  return out;
}

function fill(source: string | Template, vars: Vars, r: Rand): Txt {
  const template = typeof source === 'string' ? compile(source) : source;
  let raw = '';
  let norm = '';
  for (const piece of template) {
    const part = 'lit' in piece ? piece.lit : 'slot' in piece ? vars[piece.slot] : fill(r.pick(piece.choice), vars, r);
    if (!part) continue;
    raw += part.raw;
    norm += part.norm;
  }
  return { raw, norm };
}

const words = (list: readonly string[]) => list.map(txt);
const V = {
  streetPrefix: words(T.STREET_PREFIXES),
  streetSuffix: words(T.STREET_SUFFIXES),
  communityPrefix: words(T.COMMUNITY_PREFIXES),
  communitySuffix: words(T.COMMUNITY_SUFFIXES),
  town: words(T.TOWN_NAMES),
  townSuffix: words(T.TOWN_SUFFIXES),
  surname: words(T.SURNAMES),
  villagePrefix: words(T.VILLAGE_PREFIXES),
  villageSuffix: words(T.VILLAGE_SUFFIXES),
  school: words(T.SCHOOL_NAMES),
  hospital: words(T.HOSPITAL_NAMES),
  market: words(T.MARKET_NAMES),
  park: words(T.PARK_NAMES),
  site: words(T.SITE_NAMES),
  station: words(T.STATION_NAMES),
  river: words(T.RIVER_NAMES),
  company: words(T.COMPANY_NAMES),
  bank: words(T.BANK_NAMES),
  scenic: words(T.SCENIC_NAMES),
  office: words(T.OFFICE_NAMES),
  times: words(T.TIMES),
  people: words(T.PEOPLE),
  numbers: words(['三', '四', '五', '六', '七', '八', '九']),
};
const CUN = txt('村');
const NO_TEXT: Txt = { raw: '', norm: '' };
const SUPPORT = txt('支行');
const STATION_STOP = txt('公交站');

/** A town of the region and a spot of the kind the issue is about; `place` is how the text names it. */
function makePlace(kind: T.SpotKind, region: Txt, r: Rand): { town: Txt; spot: Txt | null; place: Txt } {
  const town = concat(r.pick(V.town), r.pick(V.townSuffix));
  const street = () => concat(r.pick(V.streetPrefix), r.pick(V.streetSuffix));
  const named = (list: Txt[]) => concat(r.pick(r.chance(0.5) ? V.streetPrefix : V.communityPrefix), r.pick(list));
  let spot: Txt | null;
  let withTown = true;
  switch (kind) {
    case 'road':
      spot = street();
      break;
    case 'community':
      spot = concat(r.pick(V.communityPrefix), r.pick(V.communitySuffix));
      break;
    case 'village':
      spot = concat(r.pick(V.villagePrefix), r.pick(V.surname), r.pick(V.villageSuffix), CUN);
      break;
    case 'school':
      spot = r.chance(0.5) ? concat(r.pick(V.streetPrefix), r.pick(V.school)) : concat(town, r.pick(V.school));
      withTown = false;
      break;
    case 'hospital':
      spot = r.chance(0.6) ? concat(region, r.pick(V.hospital)) : concat(town, r.pick(V.hospital));
      withTown = false;
      break;
    case 'market':
      spot = named(V.market);
      break;
    case 'park':
      spot = named(V.park);
      break;
    case 'site':
      spot = concat(r.pick(V.communityPrefix), r.pick(V.site));
      break;
    case 'station':
      spot = r.chance(0.5) ? concat(region, r.pick(V.station)) : concat(street(), STATION_STOP);
      withTown = false;
      break;
    case 'river':
      spot = concat(r.pick(V.streetPrefix), r.pick(V.river));
      break;
    case 'company':
      spot = named(V.company);
      break;
    case 'bank':
      spot = concat(r.pick(V.bank), r.pick(V.streetPrefix), SUPPORT);
      withTown = false;
      break;
    case 'scenic':
      spot = concat(region, r.pick(V.scenic));
      withTown = false;
      break;
    case 'office':
      spot = concat(region, r.pick(V.office));
      withTown = false;
      break;
    case 'none':
      spot = null;
      break;
  }
  const place = spot === null ? region : withTown ? concat(town, spot) : spot;
  return { town, spot, place };
}

const NEIGHBOURHOOD: ReadonlySet<T.SpotKind> = new Set([
  'community',
  'road',
  'park',
  'river',
  'market',
  'site',
  'village',
]);
const PLACELESS: ReadonlySet<T.SpotKind> = new Set(['none', 'bank', 'office']);
const EXTRAS_NEIGHBOURHOOD = [...T.EXTRAS, ...T.NEIGHBOURHOOD_EXTRAS];
const EXTRAS_PLACE = [...T.EXTRAS, ...T.PLACE_EXTRAS];

/** The sentences that fit between an issue's problem and its request. */
function extras(issue: T.IssueSpec): readonly string[] {
  if (issue.type === 'consult') return T.CONSULT_EXTRAS;
  if (NEIGHBOURHOOD.has(issue.spot)) return EXTRAS_NEIGHBOURHOOD;
  return PLACELESS.has(issue.spot) ? T.EXTRAS : EXTRAS_PLACE;
}

// ── Reference data ──────────────────────────────────────────────────────────────────────────────────────────────

/** The reference rows the generator draws from, as read from the database (demo/bulk-messages.ts). */
export interface RawReference {
  regions: { code: string; name: string; level: string; parent_code: string | null }[];
  /** Active boards, by id. */
  boards: { id: number; region_code: string; title: string; holder_name: string | null; unit_id: number }[];
  /** Active handling units, by id. */
  units: { id: number; parent_id: number | null; name: string }[];
}

interface BoardInfo {
  id: number;
  regionCode: string;
  title: string;
  holderName: string | null;
  unitId: number;
  region: Txt;
  /** County-level regions below the board's region, whose names a message may be about. */
  below: Txt[];
}

interface Reference {
  boards: BoardInfo[];
  /** Unit id → parent unit id (or null at the top). */
  parents: Map<number, number | null>;
  children: Map<number, number[]>;
  unitNames: Map<number, string>;
  /** Region code → level. */
  levels: Map<string, string>;
}

function buildReference(raw: RawReference): Reference {
  const regions = raw.regions;
  const byParent = new Map<string, typeof regions>();
  for (const reg of regions) {
    if (reg.parent_code === null) continue;
    const list = byParent.get(reg.parent_code);
    if (list) list.push(reg);
    else byParent.set(reg.parent_code, [reg]);
  }
  const counties = (code: string): Txt[] => {
    const out: Txt[] = [];
    const walk = (c: string) => {
      for (const child of byParent.get(c) ?? []) {
        if (child.level === 'county') out.push(txt(child.name));
        else walk(child.code);
      }
    };
    walk(code);
    return out;
  };
  const names = new Map(regions.map((reg) => [reg.code, reg.name]));
  const belowCache = new Map<string, Txt[]>();
  const boards = raw.boards.map((b) => {
    let below = belowCache.get(b.region_code);
    if (!below) belowCache.set(b.region_code, (below = counties(b.region_code)));
    return {
      id: b.id,
      regionCode: b.region_code,
      title: b.title,
      holderName: b.holder_name,
      unitId: b.unit_id,
      region: txt(names.get(b.region_code) ?? ''),
      below,
    };
  });
  const parents = new Map(raw.units.map((u) => [u.id, u.parent_id]));
  const children = new Map<number, number[]>();
  for (const u of raw.units) {
    if (u.parent_id === null) continue;
    const list = children.get(u.parent_id);
    if (list) list.push(u.id);
    else children.set(u.parent_id, [u.id]);
  }
  return {
    boards,
    parents,
    children,
    unitNames: new Map(raw.units.map((u) => [u.id, u.name])),
    levels: new Map(regions.map((reg) => [reg.code, reg.level])),
  };
}

/**
 * Boards ranked for the power law: province boards tend to come first, then city boards, then counties, each
 * shuffled; the board at rank k gets a share proportional to 1/(k+3).
 */
function boardSampler(boards: BoardInfo[], levels: Map<string, string>, r: Rand): (r: Rand) => BoardInfo {
  const bias: Record<string, number> = { province: 0.002, city: 0.05, county: 1 };
  const ranked = boards
    .map((b) => ({ b, key: r.next() * (bias[levels.get(b.regionCode) ?? 'county'] ?? 1) }))
    .sort((x, y) => x.key - y.key)
    .map((x) => x.b);
  const table = new Weighted(ranked.map((_, k) => 1 / (k + 3)));
  return (rr) => ranked[table.draw(rr)]!;
}

// ── Accounts ────────────────────────────────────────────────────────────────────────────────────────────────────

/** `n:<index>` netizen, `e:<index>` editor, `s:<unit>` unit staff, `h:<unit>` unit head, `l:<board>` leader. */
type ActorKey = string;

/** The generated accounts and their ids, given in the order the accounts are first needed. */
class Accounts {
  readonly ids = new Map<ActorKey, number>();
  private readonly boardById: Map<number, BoardInfo>;

  constructor(
    private readonly ref: Reference,
    private readonly createdAt: string,
    private nextId: number,
  ) {
    this.boardById = new Map(ref.boards.map((b) => [b.id, b]));
  }

  /** Gives the account an id and its `users` row, unless it has one (its name made only then). */
  add(key: ActorKey, rows: BulkRows, nickname?: string, createdAt = this.createdAt): void {
    if (this.ids.has(key)) return;
    const id = this.nextId++;
    this.ids.set(key, id);
    rows.add('users', [
      id,
      (nickname ?? this.nickname(key)).slice(0, 32),
      key[0] === 'n' ? 0 : 1,
      createdAt,
      createdAt,
    ]);
  }

  /** The next id to give, once this run is over. */
  get next(): number {
    return this.nextId;
  }

  private nickname(key: ActorKey): string {
    const kind = key[0];
    const id = Number(key.slice(2));
    if (kind === 'e') return `平台编辑${String(id + 1).padStart(2, '0')}`;
    if (kind === 'l') {
      const board = this.boardById.get(id);
      return board ? `${board.region.raw}${board.title}` : '领导';
    }
    return `${this.ref.unitNames.get(id) ?? '办理单位'}${kind === 'h' ? '负责人' : '办理员'}`;
  }

  id(key: ActorKey | null): number | null {
    if (key === null) return null;
    const id = this.ids.get(key);
    if (id === undefined) throw new Error(`bulk: account ${key} was not created`);
    return id;
  }
}

// ── One message's life ────────────────────────────────────────────────────────────────────────────────────────

type DataFn = (ids: { reply: (round: number) => number; supervision: (index: number) => number }) => object;

interface PlanEvent {
  kind: string;
  at: number;
  /** `at` as ISO text, set once the events are final. */
  atIso: string;
  /** The deadline the event sets: acceptDueAt, handleDueAt or ratingDueAt. */
  due?: string;
  actor: ActorKey | null;
  unit: number | null;
  /** Status before and after; null `to` means the event keeps the status it finds. */
  from: MessageStatus | null;
  to: MessageStatus | null;
  note: string;
  data: DataFn;
  /** For assign: the unit the message goes to. */
  assignTo?: number;
}

interface PlanReply {
  round: number;
  unitId: number;
  body: Txt;
  resolved: boolean;
  submittedAt: number;
  publishedAt: number;
  signedAt: number | null;
}

interface PlanSupervision {
  deadline: 'accept' | 'handle';
  dueAt: string;
  level: number;
  unitId: number;
  at: number;
}

interface Plan {
  board: BoardInfo;
  author: ActorKey;
  type: MessageType;
  domain: Domain;
  title: Txt;
  body: Txt;
  location: string | null;
  visibility: string;
  channel: string;
  trackingCode: string;
  submittedAt: number;
  events: PlanEvent[];
  replies: PlanReply[];
  supervisions: PlanSupervision[];
  rating: { resolution: number; timeliness: number; attitude: number; comment: string | null; at: number } | null;
  reject: { reason: RejectReason; note: string } | null;
}

/** Two- and three-digit fields of an ISO time, and the date part ('YYYY-MM-DDT') of each day met so far. */
const DIGITS2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const DIGITS3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const dayPrefixes = new Map<number, string>();

/**
 * new Date(ms).toISOString(), without a Date and its formatting for each of the millions of times a load writes: the
 * date part is worked out once a day, the time of day from the milliseconds.
 */
function iso(ms: number): string {
  const t = Math.trunc(ms);
  const day = Math.floor(t / DAY);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  let rest = t - day * DAY;
  const h = Math.floor(rest / HOUR);
  rest -= h * HOUR;
  const m = Math.floor(rest / MINUTE);
  rest -= m * MINUTE;
  const sec = Math.floor(rest / 1000);
  return `${prefix}${DIGITS2[h]}:${DIGITS2[m]}:${DIGITS2[sec]}.${DIGITS3[rest - sec * 1000]}Z`;
}

/** Working-day deadlines depend only on the China calendar day and the count: memoised. */
const deadlineCache = new Map<number, number>();
function workingDeadline(start: number, days: number): number {
  const day = Math.floor((start + 8 * HOUR) / DAY);
  const key = day * 64 + days;
  let due = deadlineCache.get(key);
  if (due === undefined) {
    due = addWorkingDays(new Date(start), days).getTime();
    deadlineCache.set(key, due);
  }
  return due;
}

class Generator {
  private readonly pickStatus = weightedPick(STATUS_WEIGHTS);
  private readonly pickChannel = weightedPick(CHANNEL_WEIGHTS);
  private readonly pickDomain = weightedPick(Object.entries(T.DOMAIN_WEIGHTS) as [Domain, number][]);
  private readonly pickReject = weightedPick(Object.entries(T.REJECT_WEIGHTS) as [RejectReason, number][]);
  private readonly hours = new Weighted(HOUR_WEIGHTS);
  private readonly authors: Weighted;
  /** The current message's life (board, status, type, timeline) and its text: two streams, so that the life */
  /** can be drawn alone, the same as when the whole message is made. */
  private r = new Rand(0);
  private t = new Rand(0);

  constructor(
    private readonly seed: number,
    /** Added to the message index in the streams' seeds. */
    private readonly base: number,
    private readonly ref: Reference,
    private readonly pickBoard: (r: Rand) => BoardInfo,
    netizens: number,
    private readonly now: number,
    private readonly editors: number,
  ) {
    this.authors = new Weighted(Array.from({ length: netizens }, (_, i) => 1 / (i + 10) ** 0.8));
  }

  /** When message `index` is submitted; draws its life only, which is cheap. */
  submittedAt(index: number): number {
    return this.make(index, null).submittedAt;
  }

  message(index: number, trackingCode: string): Plan {
    return this.make(index, trackingCode);
  }

  /** Without a tracking code, only as far as the submission time. */
  private make(index: number, trackingCode: string | null): Plan {
    const r = (this.r = new Rand(this.seed, this.base + index, 1));
    const t = (this.t = new Rand(this.seed, this.base + index, 2));
    const board = this.pickBoard(r);
    const target = this.pickStatus(r);
    const thanks = r.chance(0.03);
    const status: MessageStatus = thanks && (target === 'assigned' || target === 'replied') ? 'closed' : target;
    const thanksSpec = thanks ? r.pick(T.THANKS) : null;
    const domain = thanksSpec ? thanksSpec.domain : this.pickDomain(r);
    const issue = thanksSpec ? null : r.pick(T.ISSUES[domain]);
    const plan: Plan = {
      board,
      author: `n:${this.authors.draw(r)}`,
      type: issue ? issue.type : 'thanks',
      domain,
      title: NO_TEXT,
      body: NO_TEXT,
      location: null,
      visibility: r.chance(0.06) ? 'private' : 'public',
      channel: this.pickChannel(r),
      trackingCode: trackingCode ?? '',
      submittedAt: 0,
      events: [],
      replies: [],
      supervisions: [],
      rating: null,
      reject: null,
    };
    if (trackingCode === null) {
      this.life(plan, status, issue, {}, true);
      return plan;
    }

    // The text, from its own stream.
    const region = board.below.length > 0 && t.chance(0.7) ? t.pick(board.below) : board.region;
    const vars: Vars = { region, time: t.pick(V.times), people: t.pick(V.people), n: t.pick(V.numbers) };
    vars.board = txt(board.title);
    const spotKind = thanksSpec ? thanksSpec.spot : issue!.spot;
    Object.assign(vars, this.placeVars(spotKind, region));
    let title: Txt;
    let detail: Txt;
    if (thanksSpec) {
      vars.thing = txt(t.pick(thanksSpec.things));
      title = fill(thanksSpec.title, vars, t);
      detail = fill(thanksSpec.detail, vars, t);
    } else {
      if (issue!.things) vars.thing = txt(t.pick(issue!.things));
      title = fill(t.pick(issue!.titles), vars, t);
      detail = fill(t.pick(issue!.details), vars, t);
    }
    if ([...title.raw].length > 50) title = txt([...title.raw].slice(0, 50).join(''));
    plan.title = title;
    plan.body = concat(
      fill(t.pick(T.GREETINGS), vars, t),
      fill(t.pick(T.INTROS), vars, t),
      detail,
      issue ? fill(t.pick(extras(issue)), vars, t) : undefined,
      issue ? fill(t.pick(issue.asks), vars, t) : fill(t.pick(T.THANKS_CLOSINGS), vars, t),
      issue ? fill(t.pick(T.CLOSINGS), vars, t) : undefined,
    );
    plan.location = spotKind === 'none' ? null : vars.place!.raw;
    this.life(plan, status, issue, vars, false);
    return plan;
  }

  private placeVars(kind: T.SpotKind, region: Txt): Vars {
    const { town, spot, place } = makePlace(kind, region, this.t);
    return { town, place, ...(spot ? { spot } : {}) };
  }

  /** Draws the whole life as durations, picks an age that puts `now` in the target status, then cuts at now. */
  private life(plan: Plan, target: MessageStatus, issue: T.IssueSpec | null, vars: Vars, skeleton: boolean): void {
    const r = this.r;
    const t = this.t;
    const board = plan.board;
    const thanks = plan.type === 'thanks';
    const review = r.chance(0.7)
      ? r.between(0.2, 8) * HOUR
      : r.chance(0.85)
        ? r.between(8, 24) * HOUR
        : r.between(24, 72) * HOUR;
    const editor: ActorKey = `e:${r.int(this.editors)}`;

    // Durations after submission (ms); deadlines come later, from the absolute times.
    let accepted = 0;
    const assigns: { rel: number; to: number }[] = [];
    const rounds: { submit: number; publish: number }[] = [];
    let followUp: number | null = null;
    let sign: number | null = null;
    let rate: number | null = null;
    let closeEstimate = Infinity;
    const rejected = target === 'rejected';
    if (!rejected) {
      accepted =
        review +
        (r.chance(0.65) ? r.between(1, 24) * HOUR : r.chance(0.85) ? r.between(1, 3) * DAY : r.between(3, 8) * DAY);
      if (!thanks) {
        // Units above county level pass many messages down (交办), sometimes two levels.
        let unit = board.unitId;
        let at = accepted;
        for (let hop = 0; hop < 2; hop++) {
          const below = this.ref.children.get(unit);
          if (!below || !r.chance(hop === 0 ? 0.5 : 0.3)) break;
          unit = r.pick(below);
          at += r.between(1, 48) * HOUR;
          assigns.push({ rel: at, to: unit });
        }
        const span = RULES.handlingDays[plan.type] * 1.4 * DAY;
        const handled = (from: number) => from + (r.chance(0.92) ? r.between(0.1, 0.95) : r.between(1, 2.5)) * span;
        let submit = Math.max(handled(accepted), at + HOUR);
        rounds.push({ submit, publish: submit + r.between(1, 48) * HOUR });
        if (r.chance(0.06)) {
          followUp = rounds[0]!.publish + r.between(1, 10) * DAY;
          submit = handled(followUp);
          rounds.push({ submit, publish: submit + r.between(1, 48) * HOUR });
        }
        const last = rounds[rounds.length - 1]!.publish;
        if (r.chance(0.12)) sign = last + r.between(0.5, 24) * HOUR;
        if (r.chance(0.55)) rate = last + r.between(2, 18 * 24) * HOUR;
        // Auto-closing comes 20 working days after the reply: at least four weeks.
        closeEstimate = rate ?? last + 28 * DAY + SCHEDULER_LAG;
      } else closeEstimate = accepted;
    }

    // Where `now` may fall for the target status.
    const intervals: [number, number][] = [];
    switch (target) {
      case 'submitted':
        intervals.push([0, review]);
        break;
      case 'pending':
        intervals.push([review, accepted]);
        break;
      case 'assigned':
        intervals.push([accepted, rounds[0]!.publish]);
        if (followUp !== null) intervals.push([followUp, rounds[1]!.publish]);
        break;
      case 'replied':
        intervals.push([rounds[0]!.publish, followUp ?? closeEstimate]);
        if (followUp !== null) intervals.push([rounds[1]!.publish, closeEstimate]);
        break;
      case 'rejected':
      case 'closed':
        break;
    }
    let age: number;
    if (intervals.length > 0) {
      const total = intervals.reduce((s, [a, b]) => s + (b - a), 0);
      let x = r.next() * total;
      const [lo, hi] = intervals.find(([a, b]) => (x -= b - a) < 0) ?? intervals[intervals.length - 1]!;
      age = Math.min(lo + r.next() * (hi - lo), SPAN);
    } else age = this.historicAge(target === 'rejected' ? review : closeEstimate);
    const t0 = Math.round(this.now - age);
    plan.submittedAt = t0;
    if (skeleton) return;
    // From here on, text comes from the text stream and the rest from the life stream.
    const at = (rel: number) => Math.round(t0 + rel);

    // The events in absolute time, with the deadlines of the default working rules.
    const events: PlanEvent[] = [];
    const ev = (
      e: Omit<PlanEvent, 'note' | 'data' | 'unit' | 'atIso'> & Partial<Pick<PlanEvent, 'note' | 'data' | 'unit'>>,
    ) => events.push({ note: '', data: () => ({}), unit: null, atIso: '', ...e });
    ev({
      kind: 'submit',
      at: t0,
      actor: plan.author,
      from: null,
      to: 'submitted',
      data: () => ({ channel: plan.channel, flags: FLAGS }),
    });
    if (rejected) {
      const reason = this.pickReject(r);
      const note = t.chance(0.7) ? t.pick(T.REJECT_NOTES[reason] ?? ['']) : '';
      plan.reject = { reason, note };
      ev({
        kind: 'reject',
        at: at(review),
        actor: editor,
        from: 'submitted',
        to: 'rejected',
        note,
        data: () => ({ reason }),
      });
      this.finish(plan, events);
      return;
    }
    const approvedAt = at(review);
    const acceptDue = iso(workingDeadline(approvedAt, RULES.acceptDays));
    ev({
      kind: 'approve',
      at: approvedAt,
      actor: editor,
      from: 'submitted',
      to: 'pending',
      due: acceptDue,
      data: () => ({ acceptDueAt: acceptDue }),
    });
    const acceptedAt = at(accepted);
    const staff = (unit: number): ActorKey => `s:${unit}`;
    const head = (unit: number): ActorKey => `h:${unit}`;
    const periods: { from: number; to: number; due: number; deadline: 'accept' | 'handle' }[] = [
      { from: approvedAt, to: acceptedAt, due: Date.parse(acceptDue), deadline: 'accept' },
    ];
    if (thanks) {
      ev({
        kind: 'acknowledge',
        at: acceptedAt,
        actor: staff(board.unitId),
        unit: board.unitId,
        from: 'pending',
        to: 'closed',
      });
      this.finish(plan, events, periods);
      return;
    }
    const handleDays = RULES.handlingDays[plan.type] || RULES.handlingDays.consult;
    const handleDue = iso(workingDeadline(acceptedAt, handleDays));
    ev({
      kind: 'accept',
      at: acceptedAt,
      actor: staff(board.unitId),
      unit: board.unitId,
      from: 'pending',
      to: 'assigned',
      due: handleDue,
      data: () => ({ handleDueAt: handleDue }),
    });
    let unit = board.unitId;
    for (const a of assigns) {
      const from = unit;
      const note = t.pick(ASSIGN_NOTES);
      ev({
        kind: 'assign',
        at: at(a.rel),
        actor: staff(from),
        unit: from,
        from: 'assigned',
        to: 'assigned',
        note,
        data: () => ({ from, to: a.to }),
        assignTo: a.to,
      });
      unit = a.to;
    }
    const resolved = r.chance(issue?.resolved ?? 0.8);
    const region = plan.board.region;
    let open = acceptedAt;
    let openDue = Date.parse(handleDue);
    for (const [index, round] of rounds.entries()) {
      const n = index + 1;
      const submittedAt = at(round.submit);
      const publishedAt = at(round.publish);
      const ratingDue = iso(workingDeadline(publishedAt, RULES.ratingDays));
      periods.push({ from: open, to: publishedAt, due: openDue, deadline: 'handle' });
      const body =
        n === 1
          ? concat(
              fill(t.pick(T.REPLY_OPENINGS), vars, t),
              fill(t.pick(issue!.actions), vars, t),
              fill(t.pick(T.REPLY_CLOSINGS), { region }, t),
            )
          : txt(t.pick(T.SECOND_REPLIES));
      plan.replies.push({ round: n, unitId: unit, body, resolved, submittedAt, publishedAt, signedAt: null });
      ev({
        kind: 'submit-reply',
        at: submittedAt,
        actor: staff(unit),
        unit,
        from: 'assigned',
        to: 'assigned',
        data: (ids) => ({ replyId: ids.reply(n) }),
      });
      if (n === rounds.length && sign !== null) {
        // The leader signs before publication: the signature is what publishes the reply.
        const signer = board.holderName ? `${board.title} ${board.holderName}` : board.title;
        plan.replies.at(-1)!.signedAt = publishedAt;
        ev({
          kind: 'sign-reply',
          at: publishedAt,
          actor: `l:${board.id}`,
          from: 'assigned',
          to: 'assigned',
          data: (ids) => ({ replyId: ids.reply(n), signer }),
        });
      }
      ev({
        kind: 'publish-reply',
        at: publishedAt,
        actor: head(unit),
        unit,
        from: 'assigned',
        to: 'replied',
        due: ratingDue,
        data: (ids) => ({ replyId: ids.reply(n), resolved, ratingDueAt: ratingDue }),
      });
      if (n === 1 && followUp !== null) {
        const fuAt = at(followUp);
        const due = iso(workingDeadline(fuAt, handleDays));
        ev({
          kind: 'follow-up',
          at: fuAt,
          actor: plan.author,
          from: 'replied',
          to: 'assigned',
          note: t.pick(T.FOLLOW_UPS),
          due,
          data: () => ({ handleDueAt: due }),
        });
        open = fuAt;
        openDue = Date.parse(due);
      }
      if (n === rounds.length) {
        if (rate !== null) {
          const late = plan.replies.some((rep) => rep.publishedAt > Date.parse(handleDue)) || followUp !== null;
          const good = resolved && !late;
          const values = {
            resolution: good ? 4 + r.int(2) : resolved ? 3 + r.int(2) : 1 + r.int(3),
            timeliness: late ? 2 + r.int(2) : 4 + r.int(2),
            attitude: 3 + r.int(3),
          };
          const comment = t.pick(T.RATING_COMMENTS[good ? 'good' : resolved ? 'fair' : 'poor']) || null;
          const rateAt = at(rate);
          plan.rating = { ...values, comment, at: rateAt };
          ev({
            kind: 'rate',
            at: rateAt,
            actor: plan.author,
            from: 'replied',
            to: 'closed',
            note: comment ?? '',
            data: () => values,
          });
        } else {
          ev({
            kind: 'close',
            at: Date.parse(ratingDue) + SCHEDULER_LAG,
            actor: null,
            from: 'replied',
            to: 'closed',
            note: '评价期结束，自动办结',
          });
        }
      }
    }
    this.finish(plan, events, periods);
  }

  /** An age of at least `min` for a finished message: more messages in recent months, at daytime hours. */
  private historicAge(min: number): number {
    const r = this.r;
    const lo = Math.min(min, SPAN);
    // Submission time as a fraction x of the span, density ∝ 1 + 2x (three times as many now as two years ago).
    const xMax = 1 - lo / SPAN;
    const g = 2;
    const x = (-1 + Math.sqrt(1 + 2 * g * r.next() * (xMax + (g * xMax * xMax) / 2))) / g;
    const age = SPAN * (1 - x);
    const t0 = this.now - age;
    const dayStart = Math.floor((t0 + 8 * HOUR) / DAY) * DAY - 8 * HOUR;
    const moved = dayStart + this.hours.draw(r) * HOUR + r.next() * HOUR;
    return this.now - moved >= lo ? this.now - moved : age;
  }

  /** Adds the scheduler's supervision notices, cuts at now, and sorts. */
  private finish(
    plan: Plan,
    events: PlanEvent[],
    periods: { from: number; to: number; due: number; deadline: 'accept' | 'handle' }[] = [],
  ) {
    const now = this.now;
    events.sort((a, b) => a.at - b.at);
    const unitAt = (t: number) => {
      let unit = plan.board.unitId;
      for (const e of events) if (e.kind === 'assign' && e.at <= t) unit = e.assignTo!;
      return unit;
    };
    const supervisorOf = (unit: number) => this.ref.parents.get(unit) ?? unit;
    const notices: PlanEvent[] = [];
    for (const p of periods) {
      const end = Math.min(p.to, now);
      let at = p.due + SCHEDULER_LAG;
      if (at >= end) continue;
      let unit = supervisorOf(unitAt(at));
      const dueAt = iso(p.due);
      for (let level = 0; at < end; level++) {
        const index = plan.supervisions.length;
        plan.supervisions.push({ deadline: p.deadline, dueAt, level, unitId: unit, at });
        const note =
          level > 0
            ? '督办后仍未办理，升级督办'
            : p.deadline === 'accept'
              ? '超过受理时限，自动督办'
              : '超过办理时限，自动督办';
        notices.push({
          kind: 'supervise',
          at,
          atIso: '',
          actor: null,
          unit,
          from: null,
          to: null,
          note,
          data: (ids) => ({ supervisionId: ids.supervision(index), level, dueAt }),
        });
        const upper = supervisorOf(unit);
        if (upper === unit) break;
        at = workingDeadline(at, RULES.escalationDays) + SCHEDULER_LAG;
        unit = upper;
      }
    }
    plan.events = [...events, ...notices].filter((e) => e.at <= now).sort((a, b) => a.at - b.at);
    for (const e of plan.events) e.atIso = iso(e.at);
    plan.replies = plan.replies.filter((rep) => rep.submittedAt <= now);
    if (plan.rating && plan.rating.at > now) plan.rating = null;
  }
}

interface MessageState {
  status: MessageStatus;
  approved_at: string | null;
  accept_due_at: string | null;
  accepted_at: string | null;
  handle_due_at: string | null;
  current_unit_id: number;
  assigned_by_unit_id: number | null;
  assigned_at: string | null;
  replied_at: string | null;
  rating_due_at: string | null;
  closed_at: string | null;
  follow_ups: number;
  /** Each event's statuses, in order. */
  statuses: (MessageStatus | null)[];
}

/** The message row as the events leave it (the same fields the services set). */
function replay(plan: Plan): MessageState {
  const s: MessageState = {
    status: 'submitted',
    approved_at: null,
    accept_due_at: null,
    accepted_at: null,
    handle_due_at: null,
    current_unit_id: plan.board.unitId,
    assigned_by_unit_id: null,
    assigned_at: null,
    replied_at: null,
    rating_due_at: null,
    closed_at: null,
    follow_ups: 0,
    statuses: [],
  };
  for (const e of plan.events) {
    const at = e.atIso;
    switch (e.kind) {
      case 'approve':
        s.approved_at = at;
        s.accept_due_at = e.due!;
        break;
      case 'acknowledge':
        s.accepted_at = at;
        s.closed_at = at;
        break;
      case 'reject':
      case 'rate':
      case 'close':
        s.closed_at = at;
        break;
      case 'accept':
        s.accepted_at = at;
        s.handle_due_at = e.due!;
        break;
      case 'assign':
        s.assigned_by_unit_id = s.current_unit_id;
        s.current_unit_id = e.assignTo!;
        s.assigned_at = at;
        break;
      case 'publish-reply':
        s.replied_at = at;
        s.rating_due_at = e.due!;
        break;
      case 'follow-up':
        s.follow_ups += 1;
        s.handle_due_at = e.due!;
        s.rating_due_at = null;
        break;
    }
    s.statuses.push(e.to === null ? s.status : e.from, e.to ?? s.status);
    if (e.to !== null) s.status = e.to;
  }
  return s;
}

// ── Batches of rows ────────────────────────────────────────────────────────────────────────────────────────────

/** Editors who review the generated messages. */
const EDITORS = 6;

/**
 * The most rows one message adds to the tables whose ids the generator gives: a reply per round (a follow-up makes a
 * second), and a supervision notice per level the escalation climbs for each missed deadline (at most three
 * deadlines, each up a unit tree a few levels deep). bulk-messages.ts reserves this many ids per message.
 */
export const MOST_PER_MESSAGE = { replies: 2, supervisions: 24 } as const;

export interface GeneratorSetup {
  seed: number;
  /** The highest message id before the run: it shifts every stream, so that a second run makes new text. */
  base: number;
  count: number;
  /** The moment the generated history runs up to (ms). */
  now: number;
  batchSize: number;
  reference: RawReference;
  /** The first id to give in each table. */
  firstIds: { users: number; messages: number; replies: number; supervisions: number };
  /** Tracking codes already taken. */
  takenCodes: string[];
  /** Whether each message's facts for the published figures (message_facts) are made too. */
  facts: boolean;
}

/** The next id of each table the generator gives ids in, once it is done. */
export type NextIds = GeneratorSetup['firstIds'];

const FACT_KINDS: ReadonlySet<string> = new Set(FACT_EVENT_KINDS);
const NO_DATA: Record<string, unknown> = Object.freeze({});

/** Makes the run's messages batch by batch, in the order they were submitted, as rows for the engine (`rows`). */
export class BulkGenerator {
  private readonly r: Rand;
  private readonly accounts: Accounts;
  private readonly generator: Generator;
  private readonly order: Uint32Array;
  private readonly codes: Set<string>;
  private readonly ids: { messages: number; replies: number; supervisions: number };
  private position = 0;
  /** Region code → its province and city, as statsRepository.factsMessages reads them from the regions table. */
  private readonly regionScopes = new Map<string, { provinceCode: string; cityCode: string | null }>();
  /** Working days and China dates for the facts (the calendar the worker was given). */
  private readonly calendar = calendarMemo();
  /** The months ('YYYY-MM') the facts made so far were received in. */
  readonly months = new Set<string>();

  constructor(
    private readonly setup: GeneratorSetup,
    private readonly rows: BulkRows,
  ) {
    const { seed, base, count, now } = setup;
    const r = (this.r = new Rand(seed, base));
    const ref = buildReference(setup.reference);
    if (ref.boards.length === 0) throw new Error('没有留言板：请先导入参考数据（npx liuyan seed reference）');
    const pickBoard = boardSampler(ref.boards, ref.levels, r);
    this.accounts = new Accounts(ref, iso(now - SPAN - 30 * DAY), setup.firstIds.users);
    this.ids = {
      messages: setup.firstIds.messages,
      replies: setup.firstIds.replies,
      supervisions: setup.firstIds.supervisions,
    };
    this.codes = new Set(setup.takenCodes);
    const regions = new Map(setup.reference.regions.map((reg) => [reg.code, reg]));
    for (const reg of setup.reference.regions) {
      const up = reg.parent_code === null ? undefined : regions.get(reg.parent_code);
      this.regionScopes.set(
        reg.code,
        provinceAndCity({
          code: reg.code,
          level: reg.level,
          parentCode: reg.parent_code,
          parentLevel: up?.level ?? null,
          grandparentCode: up?.parent_code ?? null,
        }),
      );
    }

    // The netizen pool and the editors, up front (they go out with the first batch).
    const netizens = Math.min(5000, Math.max(20, Math.ceil(count / 2)));
    for (let i = 0; i < netizens; i++) {
      const nickname = `${r.pick(T.NICK_FIRST)}${r.pick(T.NICK_SECOND)}${r.chance(0.5) ? String(1950 + r.int(60)) : ''}`;
      this.accounts.add(`n:${i}`, rows, nickname, iso(now - SPAN - r.next() * 60 * DAY));
    }
    for (let i = 0; i < EDITORS; i++) this.accounts.add(`e:${i}`, rows);
    this.generator = new Generator(seed, base, ref, pickBoard, netizens, now, EDITORS);

    // First the submission times alone, then the messages in that order: ids follow time, as in a real database.
    const times = new Float64Array(count);
    for (let i = 0; i < count; i++) times[i] = this.generator.submittedAt(i);
    this.order = new Uint32Array(count).map((_, i) => i).sort((a, b) => times[a]! - times[b]! || a - b);
  }

  /** How many messages have been made. */
  get done(): number {
    return this.position;
  }

  get nextIds(): NextIds {
    return { users: this.accounts.next, ...this.ids };
  }

  /** Makes the next batch into `rows`; false when every message has been made. */
  next(): boolean {
    const { count, batchSize, now } = this.setup;
    if (this.position >= count) return false;
    const end = Math.min(count, this.position + batchSize);
    for (; this.position < end; this.position++) {
      const plan = this.generator.message(this.order[this.position]!, this.trackingCode());
      this.write(plan, now, this.position);
    }
    return true;
  }

  private trackingCode(): string {
    for (;;) {
      let code = '';
      for (let i = 0; i < 8; i++) code += TRACKING_ALPHABET[this.r.int(TRACKING_ALPHABET.length)];
      if (!this.codes.has(code)) {
        this.codes.add(code);
        return code;
      }
    }
  }

  /** The rows of one message: its author's and actors' accounts if new, the message, replies, notices, history. */
  private write(p: Plan, now: number, index: number): void {
    const { rows, accounts } = this;
    for (const e of p.events) if (e.actor && e.actor[0] !== 'n' && e.actor[0] !== 'e') accounts.add(e.actor, rows);
    const s = replay(p);
    const messageId = this.ids.messages++;
    rows.add('messages', [
      messageId,
      p.board.id,
      p.board.regionCode,
      accounts.id(p.author),
      p.type,
      p.domain,
      p.title.raw,
      p.body.raw,
      p.location,
      p.visibility,
      s.status,
      p.trackingCode,
      p.channel,
      FLAGS_JSON,
      p.reject?.reason ?? null,
      p.reject?.note || null,
      s.current_unit_id,
      iso(p.submittedAt),
      iso(p.submittedAt + RULES.reviewHours * HOUR),
      s.approved_at,
      s.closed_at,
      p.events[p.events.length - 1]!.atIso,
      s.accept_due_at,
      s.handle_due_at,
      s.assigned_by_unit_id,
      s.accepted_at,
      s.assigned_at,
      s.replied_at,
      s.rating_due_at,
      s.follow_ups,
    ]);

    // Replies and supervision notices first: the events name their ids.
    const happened = (at: number | null) => at !== null && at <= now;
    if (p.replies.length > MOST_PER_MESSAGE.replies) throw new Error(`bulk: ${p.replies.length} replies`);
    const replyIds = new Map<number, number>();
    for (const rep of p.replies) {
      const published = happened(rep.publishedAt);
      const signed = published && happened(rep.signedAt);
      const id = this.ids.replies++;
      replyIds.set(rep.round, id);
      rows.add('replies', [
        id,
        messageId,
        rep.unitId,
        accounts.id(`s:${rep.unitId}`),
        rep.body.raw,
        rep.resolved ? 1 : 0,
        published ? 'published' : 'pending_approval',
        published ? accounts.id(`h:${rep.unitId}`) : null,
        signed ? accounts.id(`l:${p.board.id}`) : null,
        signed ? (p.board.holderName ? `${p.board.title} ${p.board.holderName}` : p.board.title) : null,
        rep.round,
        published ? iso(rep.publishedAt) : null,
        iso(rep.submittedAt),
        iso(signed ? rep.signedAt! : published ? rep.publishedAt : rep.submittedAt),
      ]);
    }
    if (p.supervisions.length > MOST_PER_MESSAGE.supervisions) {
      throw new Error(`bulk: ${p.supervisions.length} supervision notices`);
    }
    const supervisionIds: number[] = [];
    p.supervisions.forEach((sv, i) => {
      if (!happened(sv.at)) return;
      const id = this.ids.supervisions++;
      supervisionIds[i] = id;
      rows.add('supervisions', [id, messageId, sv.deadline, sv.dueAt, sv.level, sv.unitId, iso(sv.at)]);
    });

    // The case history, hash-chained.
    const lookup = {
      reply: (round: number) => replyIds.get(round)!,
      supervision: (i: number) => supervisionIds[i]!,
    };
    let prevHash = GENESIS_HASH;
    const statuses = s.statuses;
    const factEvents: FactsEvent[] = [];
    p.events.forEach((e, k) => {
      const draft = {
        messageId,
        seq: k + 1,
        kind: e.kind,
        actorId: accounts.id(e.actor),
        actorUnitId: e.unit,
        fromStatus: statuses[2 * k]!,
        toStatus: statuses[2 * k + 1]!,
        note: e.note,
        data: e.data(lookup) as Record<string, unknown>,
        at: e.atIso,
        prevHash,
      };
      const hash = eventHash(draft);
      rows.add('case_events', [
        messageId,
        draft.seq,
        draft.kind,
        draft.actorId,
        draft.actorUnitId,
        draft.fromStatus,
        draft.toStatus,
        draft.note,
        JSON.stringify(draft.data),
        draft.at,
        hash,
      ]);
      prevHash = hash;
      if (FACT_KINDS.has(e.kind)) {
        factEvents.push({ kind: e.kind, at: e.atIso, data: KINDS_WITH_DATA.has(e.kind) ? draft.data : NO_DATA });
      }
    });
    if (this.setup.facts) this.writeFacts(p, messageId, s.current_unit_id, factEvents);
    if (p.rating) {
      const { resolution, timeliness, attitude, comment, at } = p.rating;
      rows.add('ratings', [
        messageId,
        s.follow_ups + 1,
        accounts.id(p.author),
        resolution,
        timeliness,
        attitude,
        comment,
        iso(at),
      ]);
    }
    // The search entry: title, body and the published replies, as searchRepository.reindex builds it.
    const texts = [p.title, p.body, ...p.replies.filter((rep) => happened(rep.publishedAt)).map((rep) => rep.body)];
    const text = texts.map((t) => t.norm).join('\n');
    const tokens = normalisedTokens(text).join(' ');
    if (index % CHECK_EVERY === 0) {
      const raw = texts.map((t) => t.raw);
      if (searchableText(raw) !== text || indexTokens(raw.join('\n')).join(' ') !== tokens) {
        throw new Error(`bulk: the search entry of “${p.title.raw}” differs from what the tokenizer makes of it`);
      }
    }
    rows.add('message_search', [messageId, text, tokens]);
  }

  /**
   * The message's facts for the published figures (deriveFacts), from what a recomputation would read back: the
   * message's current unit, its region's province and city, and its events of the kinds the facts are derived from.
   */
  private writeFacts(p: Plan, messageId: number, unitId: number, events: FactsEvent[]): void {
    // A region the regions table does not hold gives the message no facts (the recomputation joins on it).
    const scopes = this.regionScopes.get(p.board.regionCode);
    if (!scopes) return;
    const message: FactsMessage = {
      id: messageId,
      boardId: p.board.id,
      unitId,
      regionCode: p.board.regionCode,
      provinceCode: scopes.provinceCode,
      cityCode: scopes.cityCode,
      type: p.type,
    };
    const f = deriveFacts(message, events, this.calendar);
    if (!f) return;
    this.months.add(f.receivedDay.slice(0, 7));
    this.rows.add('message_facts', [
      f.messageId,
      f.boardId,
      f.unitId,
      f.regionCode,
      f.provinceCode,
      f.cityCode,
      f.type,
      f.receivedAt,
      f.receivedDay,
      f.expected,
      f.repliedAt,
      f.dueAt,
      f.onTime,
      f.handlingDays,
      f.resolved,
      f.overdue,
      f.returned,
      f.reopened,
      f.signed,
      f.ratingResolution,
      f.ratingTimeliness,
      f.ratingAttitude,
    ]);
  }
}
