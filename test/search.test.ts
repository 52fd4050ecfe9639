import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadCurrentUser } from '../src/accounts/accounts.service.ts';
import { COMMAND_LINE, createStaff } from '../src/accounts/staff.service.ts';
import { newestTokenMatches } from '../src/db/dialect.ts';
import { approveMessage } from '../src/messages/review.ts';
import { submitMessage } from '../src/messages/submit-message.ts';
import { normaliseText } from '../src/messages/text-normalise.ts';
import { countMessages, type ListQuery, listMessages, publicListing } from '../src/search/message-list.ts';
import { normalisedTokens, tokensDecide } from '../src/search/tokenize.ts';
import { createTestApp, type TestApp } from './helpers.ts';

let t: TestApp;
const PLACES = ['正定县', '石家庄市', '北京市', '滨海新区', '古城', '开发区'];
const PROBLEMS = [
  '路灯不亮',
  '噪声扰民',
  '供暖不热',
  '公交线路调整',
  '学区划分',
  '医保报销',
  '停车难',
  '污水外溢',
  '5G基站',
  'WiFi信号差',
  '物业费上涨',
  '垃圾清运',
];
const BOARDS = [1301232, 1301001, 1100001, 1201161];
const published: { id: number; text: string; board: number; type: string }[] = [];

before(async () => {
  t = await createTestApp();
  const editorId = await createStaff(t.db, COMMAND_LINE, {
    phone: '18500000001',
    nickname: '编辑',
    password: 'Search-Pass-2026!',
    role: 'editor',
  });
  const editor = (await loadCurrentUser(t.db, editorId))!;
  const ctx = {
    db: t.db,
    secret: t.config.secret,
    store: t.app.attachments,
    sensitiveWords: t.app.sensitiveWords,
    authorId: editorId,
    channel: 'api' as const,
  };
  let n = 0;
  for (const place of PLACES) {
    for (const problem of PROBLEMS) {
      n += 1;
      const type = ['consult', 'complain', 'help', 'suggest'][n % 4]!;
      const title = `${place}${problem}问题`;
      const body = `诉求：请解决${place}的${problem}问题。第${n}号反映，已持续多日，影响居民生活，希望相关部门尽快处理。`;
      const board = BOARDS[n % BOARDS.length]!;
      const { id } = await submitMessage(ctx, { boardId: board, type, domain: 'urban', title, body });
      if (n % 5 === 0) continue; // left unreviewed: never found
      await approveMessage(t.db, editor, id);
      published.push({ id, text: normaliseText(`${title}\n${body}`), board, type });
    }
  }
});
after(() => t.close());

async function searchAll(query: Record<string, string>): Promise<number[]> {
  const ids: number[] = [];
  let cursor: string | null = null;
  do {
    const params: URLSearchParams = new URLSearchParams({ ...query, ...(cursor ? { cursor } : {}) });
    const res: Awaited<ReturnType<typeof t.app.inject>> = await t.app.inject(`/api/v1/messages?${params}`);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as { items: { id: number }[]; next: string | null };
    ids.push(...body.items.map((i) => i.id));
    cursor = body.next;
  } while (cursor);
  return ids.sort((a, b) => a - b);
}

const substring = (q: string, filter: (m: (typeof published)[number]) => boolean = () => true) =>
  published
    .filter(
      (m) =>
        normaliseText(q)
          .split(/\s+/)
          .every((term) => m.text.includes(term)) && filter(m),
    )
    .map((m) => m.id)
    .sort((a, b) => a - b);

describe('full-text search finds exactly what a substring search finds', () => {
  for (const q of [
    '灯',
    '噪声',
    '路灯',
    '反映',
    '石家庄',
    '正定县路灯不',
    '5G基站',
    'wifi',
    '供暖 正定',
    '醫保報銷',
    '停車難',
  ]) {
    test(`"${q}"`, async () => {
      const expected = substring(q);
      assert.ok(expected.length > 0 || q === '', 'the query has matches to find');
      assert.deepEqual(await searchAll({ q }), expected);
    });
  }

  test('combined with filters: board, type, region with everything below it', async () => {
    assert.deepEqual(
      await searchAll({ q: '噪声', board: '1301232' }),
      substring('噪声', (m) => m.board === 1301232),
    );
    assert.deepEqual(
      await searchAll({ q: '问题', type: 'complain' }),
      substring('问题', (m) => m.type === 'complain'),
    );
    assert.deepEqual(
      await searchAll({ q: '物业', region: '130000' }),
      substring('物业', (m) => [1301232, 1301001].includes(m.board)),
    );
    assert.deepEqual(
      await searchAll({ region: '130100' }),
      substring('', (m) => [1301232, 1301001].includes(m.board)),
      'a city includes its counties',
    );
  });

  test('a query that matches nothing, and paging through the newest', async () => {
    assert.deepEqual(await searchAll({ q: '火星基地' }), []);
    const first = (await t.app.inject('/api/v1/messages?limit=5')).json();
    assert.equal(first.items.length, 5);
    const second = (await t.app.inject(`/api/v1/messages?cursor=${first.next}`)).json();
    assert.ok(second.items[0].id < first.items[4].id, 'newest first, no overlap');
  });
});

test('newest first from the index in small rounds, then the rest: the same pages as one query', async () => {
  // Rounds of 1 and 2 candidates make every path run on a small data set: rounds that fill a page, rounds that
  // run out, and the query over what is left after the last round.
  const pages = async (query: ListQuery, rounds: number[]) => {
    const ids: number[][] = [];
    let cursor: string | undefined;
    do {
      const page = await listMessages(t.db, { ...query, limit: 4, ...(cursor ? { cursor } : {}) }, new Date(), rounds);
      ids.push(page.items.map((i) => i.id));
      cursor = page.next ?? undefined;
    } while (cursor);
    return ids;
  };
  for (const query of [
    { q: '问题' },
    { q: '灯' },
    { q: '噪声', board: '1301232' },
    { q: '物业', region: '130000' },
    { q: '停车难', type: 'help' },
  ]) {
    const expected = substring(query.q, (m) =>
      query.board ? m.board === Number(query.board) : query.type ? m.type === query.type : true,
    );
    const regionBoards = [1301232, 1301001];
    const want = query.region
      ? expected.filter((id) => regionBoards.includes(published.find((m) => m.id === id)!.board))
      : expected;
    for (const rounds of [[1], [1, 2], [64, 512, 4096]]) {
      const got = await pages(query, rounds);
      assert.deepEqual(got.flat(), [...want].reverse(), `${JSON.stringify(query)} in rounds ${rounds.join(',')}`);
      assert.ok(
        got.slice(0, -1).every((p) => p.length === 4),
        'every page but the last is full',
      );
    }
  }
});

test('counting from the index and from the newest matches gives the same, capped, with the filters', async () => {
  const regionBoards = [1301232, 1301001];
  for (const [query, filter] of [
    [{ q: '问题' }, () => true],
    [{ q: '灯' }, () => true],
    [{ q: '噪声', board: '1301232' }, (m) => m.board === 1301232],
    [{ q: '物业', region: '130000' }, (m) => regionBoards.includes(m.board)],
    [{ q: '停车难', type: 'help' }, (m) => m.type === 'help'],
    [{ q: '火星基地' }, () => true],
  ] as [ListQuery, (m: (typeof published)[number]) => boolean][]) {
    const want = substring(query.q!, filter).length;
    for (const cap of [1, 3, 1000]) {
      // Rounds of one candidate per match still needed leave the filtered queries to the index after the round.
      for (const [common, rounds] of [
        [false, undefined],
        [true, undefined],
        [true, [1]],
      ] as const) {
        const count = await countMessages(t.db, query, cap, new Date(), { common: async () => common, rounds });
        assert.equal(count, Math.min(want, cap + 1), `${JSON.stringify(query)} up to ${cap}, ${common} ${rounds}`);
      }
    }
  }
});

test('token matches newest first, through every path the engine has', async () => {
  const entries = await t.db
    .selectFrom('message_search')
    .innerJoin('messages', 'messages.id', 'message_search.message_id')
    .select(['message_id', 'text'])
    .where('messages.visibility', '=', 'public')
    .where('messages.status', 'in', ['pending', 'assigned', 'replied', 'closed'])
    .execute();
  assert.ok(entries.length < (await t.db.selectFrom('message_search').select('message_id').execute()).length);
  for (const tokens of [['问'], ['问题'], ['噪声'], ['正定', '定县'], ['5g'], ['火星']]) {
    const expected = entries
      .filter((e) => tokens.every((tok) => normalisedTokens(e.text).includes(tok)))
      .map((e) => e.message_id)
      .sort((a, b) => b - a);
    // Small sizes and id ranges send PostgreSQL down each of its three ways on a small data set.
    for (const [size, range] of [
      [1, 1],
      [2, 3],
      [3, 10],
      [64, 25_000],
    ] as const) {
      const got: number[] = [];
      let before: number | undefined;
      for (let calls = 0; calls < 500; calls++) {
        const { ids, next } = await newestTokenMatches(t.db, tokens, publicListing, before, size, range);
        got.push(...ids);
        if (next === null) break;
        before = next;
      }
      assert.deepEqual(got, expected, `${tokens.join('+')} by ${size} within ${range}`);
    }
  }
});

test('the substring check is left out only where the tokens alone decide', () => {
  for (const term of ['灯', '路灯', 'wifi', '2026']) assert.equal(tokensDecide(term), true, term);
  // Three characters: 路灯 and 灯坏 may each be found apart. Mixed runs and punctuation: more than one token.
  for (const term of ['路灯坏', '5g基站', 'wifi信号', '路灯!', 'a-b', ''])
    assert.equal(tokensDecide(term), false, term);
});

describe('bad queries get a clear message, not an error page', () => {
  test('empty, too long, punctuation only and a broken cursor', async () => {
    for (const [query, message] of [
      ['q=', /请输入要搜索的内容/],
      [`q=${'字'.repeat(51)}`, /搜索内容最多 50 个字/],
      ['q=%E3%80%82%EF%BC%81', /请输入文字、字母或数字/],
      ['cursor=bad', /分页参数 cursor 无效/],
      ['region=12', /地区代码应为 6 位数字/],
      ['from=2026-13-40', /from 应为 YYYY-MM-DD/],
    ] as const) {
      const api = await t.app.inject(`/api/v1/messages?${query}`);
      assert.equal(api.statusCode, 400, query);
      assert.equal(api.json().error.code, 'VALIDATION');
      assert.match(api.json().error.message, message);
      const page = await t.app.inject(`/search?${query}`);
      assert.equal(page.statusCode, 400, query);
      assert.match(page.body, message);
      assert.match(page.body, /<h1>搜索留言<\/h1>/);
    }
  });

  test('matches are marked and markup in the query is escaped', async () => {
    const page = await t.app.inject(`/search?q=${encodeURIComponent('噪声')}`);
    assert.match(page.body, /<mark>噪声<\/mark>/);
    const evil = await t.app.inject(`/search?q=${encodeURIComponent('<script>alert(1)</script>')}`);
    assert.ok(!evil.body.replace(/value="[^"]*"/g, '').includes('<script>'), 'only inside the escaped attribute');
    assert.doesNotMatch(evil.body, /"><script>/);
  });
});

test('messages written before the index existed are indexed at start', async () => {
  const { prepareDatabase } = await import('../src/db/prepare.ts');
  const victim = published[0]!;
  await t.db.deleteFrom('message_search').where('message_id', '=', victim.id).execute();
  assert.ok(!(await searchAll({ q: '第1号反映' })).includes(victim.id));
  await prepareDatabase(t.db, t.config, { info: () => {} });
  const row = await t.db
    .selectFrom('message_search')
    .select('message_id')
    .where('message_id', '=', victim.id)
    .executeTakeFirst();
  assert.ok(row, 'the entry is back');
  assert.deepEqual(await searchAll({ q: '第1号反映' }), substring('第1号反映'));
  // Once none is missing the database records it, and later starts skip the scan over every message.
  const backfilled = await t.db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', 'search.backfilled')
    .executeTakeFirst();
  assert.equal(backfilled?.value, 'true');
  const { searchRepository } = await import('../src/search/search.repository.ts');
  await t.db.deleteFrom('message_search').where('message_id', '=', victim.id).execute();
  assert.equal(await searchRepository.indexMissing(t.db), 0, 'no second scan');
  await searchRepository.reindex(t.db, victim.id);
});
